package dev.ftmatrix.builder.internal;

import dev.ftmatrix.builder.sandbox.ResolveCache;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.builder.StepFailed;
import dev.ftmatrix.builder.Venv;
import dev.ftmatrix.support.PipRequirements;
import dev.ftmatrix.support.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's test requirements for one variant: fetched on the host into the wheelhouse (all at once, or one by
 * one to name those that cannot be had), then installed offline with the harness's own. A requirement that cannot be
 * fetched or installed is named with the reason, never a reason to stop: the tests that need it say so.
 */
public final class TestRequirementsResolver {
    private TestRequirementsResolver() {
    }

    /** The requirements in the wheelhouse, and those that could not be fetched with why. */
    public record Result(List<String> fetched, List<VariantResult.Missing> missing) {
        public Result {
            fetched = List.copyOf(fetched);
            missing = List.copyOf(missing);
        }

        /** This result with {@code more} missing, named first. */
        public Result alsoMissing(List<VariantResult.Missing> more) {
            List<VariantResult.Missing> all = new ArrayList<>(more);
            all.addAll(missing);
            return new Result(fetched, all);
        }
    }

    /**
     * Fetches {@code requirements} for {@code python}'s interpreter into {@code wheelhouse}, on the host: all in one pip
     * run; when that fails, without those pip's output blames (a dependency that does not build for this
     * interpreter, a version that does not exist), and only when it blames none, one by one.
     */
    public static Result resolve(Path python, List<String> requirements, Path wheelhouse, Map<String, String> env,
                                 Path log, Duration deadline) {
        List<String> left = new ArrayList<>(requirements.stream().map(String::strip).filter(r -> !r.isEmpty())
                .distinct().toList());
        List<VariantResult.Missing> missing = new ArrayList<>();
        while (!left.isEmpty()) {
            Processes.Run run = fetch(python, left, wheelhouse, env, log, deadline);
            if (run.ok()) {
                return new Result(left, missing);
            }
            Map<String, String> culprits = PipFailures.culprits(run.output(), left);
            if (culprits.isEmpty()) {
                break;
            }
            culprits.forEach((r, why) -> missing.add(new VariantResult.Missing(r,
                    "cannot be fetched or built for this interpreter: " + why)));
            left.removeAll(culprits.keySet());
        }
        List<String> fetched = new ArrayList<>();
        for (String r : left) {
            Processes.Run run = fetch(python, List.of(r), wheelhouse, env, log, deadline);
            if (run.ok()) {
                fetched.add(r);
            } else {
                Map<String, String> why = PipFailures.culprits(run.output(), List.of(r));
                missing.add(new VariantResult.Missing(r, "cannot be fetched or built for this interpreter: "
                        + why.getOrDefault(r, lastError(run.output()))));
            }
        }
        return new Result(fetched, missing);
    }

    /**
     * The project's test requirements less those on a package the harness requires at a version of its own
     * ({@code pytest-run-parallel>=0.10}): the harness's requirement wins, the project's is named as not installed.
     */
    public static Result withoutTools(List<String> requirements, List<String> tools) {
        Map<String, String> pinnedTools = new HashMap<>();
        for (String t : tools) {
            String name = PipRequirements.projectName(t);
            if (name != null && t.strip().length() > name.length()) {
                pinnedTools.put(PipRequirements.normalized(name), t);
            }
        }
        List<String> kept = new ArrayList<>();
        List<VariantResult.Missing> dropped = new ArrayList<>();
        for (String r : requirements) {
            String name = PipRequirements.projectName(r);
            String tool = name == null ? null : pinnedTools.get(PipRequirements.normalized(name));
            if (tool == null) {
                kept.add(r);
            } else {
                dropped.add(new VariantResult.Missing(r, "the harness installs its own " + tool));
            }
        }
        return new Result(kept, dropped);
    }

    /**
     * Installs the harness's requirements and the fetched ones offline; those that do not install are added to the
     * missing. Throws when the harness's own (pytest) cannot be installed: that is ftm's failure.
     */
    public static VariantResult.TestRequirements install(Venv venv, Path work, Result resolved, List<String> tools,
                                                         Duration deadline) throws StepFailed {
        List<String> all = new ArrayList<>(tools);
        all.addAll(resolved.fetched());
        List<VariantResult.Missing> missing = new ArrayList<>(resolved.missing());
        if (pip(venv, work, deadline, all).ok()) {
            return new VariantResult.TestRequirements(resolved.fetched(), missing);
        }
        Processes.Run harness = pip(venv, work, deadline, tools);
        if (!harness.ok()) {
            throw new StepFailed("cannot install the harness's requirements " + tools, harness);
        }
        List<String> installed = new ArrayList<>();
        for (String r : resolved.fetched()) {
            Processes.Run run = pip(venv, work, deadline, List.of(r));
            if (run.ok()) {
                installed.add(r);
            } else {
                missing.add(new VariantResult.Missing(r, "does not install beside the project: " + lastError(run.output())));
            }
        }
        return new VariantResult.TestRequirements(installed, missing);
    }

    private static Processes.Run fetch(Path python, List<String> reqs, Path wheelhouse, Map<String, String> env, Path log,
                                       Duration deadline) {
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-m", "pip", "wheel", "--prefer-binary",
                "--wheel-dir", wheelhouse.toString(), "--find-links", wheelhouse.toString()));
        cmd.addAll(reqs);
        return ResolveCache.run(env, python, cmd, wheelhouse, "",
                () -> Processes.run(cmd, wheelhouse, env, log, l -> { }, deadline));
    }

    private static Processes.Run pip(Venv venv, Path work, Duration deadline, List<String> reqs) {
        List<String> args = new ArrayList<>(List.of("install"));
        args.addAll(reqs);
        return venv.pip(work, deadline, args.toArray(String[]::new));
    }

    /** The last line of pip's output that says what went wrong. */
    static String lastError(String output) {
        List<String> lines = output.lines().map(String::strip)
                .filter(l -> l.startsWith("ERROR") || l.contains("error:") || l.contains("No matching distribution"))
                .toList();
        String l = lines.isEmpty() ? output.strip().lines().reduce((a, b) -> b).orElse("") : lines.getLast();
        return l.length() > 300 ? l.substring(0, 300) + "..." : l;
    }
}
