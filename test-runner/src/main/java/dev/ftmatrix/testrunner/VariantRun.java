package dev.ftmatrix.testrunner;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.testrunner.internal.ImportProbe;
import dev.ftmatrix.testrunner.internal.PytestSession;
import dev.ftmatrix.testrunner.internal.StepFailed;
import dev.ftmatrix.testrunner.internal.Venv;
import dev.ftmatrix.testrunner.internal.Wheels;
import dev.ftmatrix.toolchain.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a project for one toolchain, imports its extension modules and runs its tests, in a local process
 * sandbox: {@code new VariantRun(project, toolchain, work).tests(...).call()}.
 */
public final class VariantRun {
    private final Path project;
    private final Toolchain toolchain;
    private final Path work;
    private Path pipCache;
    private List<String> pytestArgs = List.of();
    private List<String> testRequirements = List.of("pytest");
    private Map<String, String> env = Map.of();
    private Duration buildDeadline = Duration.ofMinutes(20);
    private Duration testDeadline = Duration.ofSeconds(60);
    private Map<String, String> gilEnv = null;
    private Progress progress = Progress.NONE;
    private boolean harness = true;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int iterations = 1;
    private List<String> threadUnsafe = List.of();

    public VariantRun(Path project, Toolchain toolchain, Path work) {
        this.project = project;
        this.toolchain = toolchain;
        this.work = work;
        this.pipCache = work.resolve("pip-cache");
    }

    /** pytest arguments; empty runs pytest's own discovery from the project's root. */
    public VariantRun tests(List<String> args) {
        this.pytestArgs = List.copyOf(args);
        return this;
    }

    public VariantRun testRequirements(List<String> requirements) {
        this.testRequirements = List.copyOf(requirements);
        return this;
    }

    /** Extra environment for build and tests (a matrix's {@code env}). */
    public VariantRun env(Map<String, String> env) {
        this.env = Map.copyOf(env);
        return this;
    }

    /**
     * The {@code PYTHON_GIL} setting for the tests: {@code "0"} or {@code "1"}; null leaves it unset. Defaults to
     * {@code 0} on a free-threaded toolchain, unset otherwise.
     */
    public VariantRun pythonGil(String value) {
        this.gilEnv = new HashMap<>();
        this.gilEnv.put("PYTHON_GIL", value);
        return this;
    }

    public VariantRun pipCache(Path dir) {
        this.pipCache = dir;
        return this;
    }

    public VariantRun buildDeadline(Duration d) {
        this.buildDeadline = d;
        return this;
    }

    public VariantRun testDeadline(Duration d) {
        this.testDeadline = d;
        return this;
    }

    public VariantRun progress(Progress p) {
        this.progress = p;
        return this;
    }

    /**
     * Run the tests in the FFM {@link Harness} (the default) or, with false, as a {@code python -m pytest}
     * subprocess. The subprocess is also the fallback when the harness cannot start.
     */
    public VariantRun harness(boolean use) {
        this.harness = use;
        return this;
    }

    /** Java threads that run each test at once in the harness (default: the cores). */
    public VariantRun threads(int n) {
        this.threads = n;
        return this;
    }

    /** How often the harness repeats the parallel phase, for a flakiness rate (default 1). */
    public VariantRun iterations(int k) {
        this.iterations = k;
        return this;
    }

    /** Test ids the harness runs single-threaded only, besides those marked {@code thread_unsafe}. */
    public VariantRun threadUnsafe(List<String> ids) {
        this.threadUnsafe = List.copyOf(ids);
        return this;
    }

    /** What one run produced; the verdict is decided from it by {@link Verdicts}. */
    public record Outcome(BuildResult build, List<String> modules, Boolean gilEnabledAfterImport, String gilReenabledBy,
                          Map<String, String> importErrors, List<TestResult> tests, String testError) {
    }

    public Outcome call() {
        String tag = "[" + toolchain.variant() + "] ";
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(work);
            Files.createDirectories(pipCache);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = work.resolve("build.log");
        Venv venv;
        List<Path> wheels;
        try {
            progress.report(tag + "venv and build");
            venv = Venv.create(toolchain, work.resolve("venv"), pipCache, log);
            Path dist = work.resolve("dist");
            deleteTree(dist);
            Processes.Run build = venv.pip(project, buildDeadline, "wheel", "--no-deps", "-w", dist.toString(), ".");
            if (!build.ok()) {
                String reason = build.timedOut() ? "build passed its deadline of " + buildDeadline.toMinutes() + " min"
                        : "pip wheel failed (exit " + build.exitCode() + ")";
                return failedBuild(reason, build.tail(40), t0);
            }
            try (Stream<Path> s = Files.list(dist)) {
                wheels = s.filter(p -> p.toString().endsWith(".whl")).sorted().toList();
            }
            if (wheels.isEmpty()) {
                return failedBuild("pip wheel produced no wheel", build.tail(40), t0);
            }
            List<String> install = new ArrayList<>(List.of("install", "--no-deps"));
            wheels.forEach(w -> install.add(w.toString()));
            Processes.Run inst = venv.pip(work, buildDeadline, install.toArray(String[]::new));
            if (!inst.ok()) {
                return failedBuild("the built wheel does not install", inst.tail(40), t0);
            }
        } catch (StepFailed e) {
            return failedBuild(e.getMessage(), e.tail(), t0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BuildResult built = new BuildResult(true, "", wheels.stream().map(p -> p.getFileName().toString()).toList(),
                "", (System.nanoTime() - t0) / 1_000_000);
        List<String> modules = wheels.stream().flatMap(w -> Wheels.extensionModules(w).stream()).distinct().toList();

        Boolean gilAfter = null;
        String reenabledBy = "";
        Map<String, String> importErrors = Map.of();
        List<TestResult> tests = List.of();
        String testError = "";
        try {
            List<String> reqs = new ArrayList<>(List.of("install"));
            reqs.addAll(testRequirements);
            Processes.Run r = venv.pip(work, buildDeadline, reqs.toArray(String[]::new));
            if (!r.ok()) {
                throw new StepFailed("cannot install the test requirements " + testRequirements, r);
            }
            Map<String, String> testEnv = new HashMap<>(env);
            if (gilEnv != null) {
                testEnv.putAll(gilEnv);
            } else if (toolchain.variant().freeThreaded()) {
                testEnv.put("PYTHON_GIL", "0");
            }
            String gilNote = testEnv.containsKey("PYTHON_GIL") ? " with PYTHON_GIL=" + testEnv.get("PYTHON_GIL") : "";
            Harness.Report report = null;
            if (harness && Files.isRegularFile(toolchain.libpython())) {
                progress.report(tag + "import " + String.join(", ", modules) + " and tests in the FFM harness" + gilNote);
                report = harness(venv, modules, testEnv);
                if (!report.error().isEmpty() && report.tests().isEmpty()) {
                    progress.report(tag + "the harness could not run the tests (" + firstLine(report.error())
                            + "); running them with pytest in a subprocess");
                    report = null;
                }
            }
            if (report != null) {
                Harness.Probe probe = report.probes().stream().filter(p -> p.pythonGil() == null).findFirst()
                        .orElse(report.probes().isEmpty() ? null : report.probes().getFirst());
                if (probe != null) {
                    gilAfter = probe.gilEnabledAfter();
                    reenabledBy = probe.reenabledBy();
                    importErrors = probe.errors();
                }
                tests = report.tests();
                testError = report.error();
                progress.report(String.format(java.util.Locale.ROOT, "%s%d test(s) in %.1f s, %d child JVM(s)", tag,
                        tests.size(), report.wallMillis() / 1000.0, report.children()));
            } else {
                progress.report(tag + "import " + String.join(", ", modules));
                ImportProbe.Result probe = ImportProbe.run(venv, work, modules, env);
                gilAfter = probe.gilEnabledAfter();
                reenabledBy = probe.reenabledBy();
                importErrors = probe.errors();
                progress.report(tag + "tests" + gilNote);
                tests = new PytestSession(venv, project, work.resolve("tests"), pytestArgs, testEnv, testDeadline, progress).call();
            }
        } catch (StepFailed e) {
            testError = e.getMessage() + (e.tail().isEmpty() ? "" : "\n" + e.tail());
        }
        return new Outcome(built, modules, gilAfter, reenabledBy, importErrors, tests, testError);
    }

    private Harness.Report harness(Venv venv, List<String> modules, Map<String, String> testEnv) {
        boolean ft = toolchain.variant().freeThreaded();
        String gil = testEnv.get("PYTHON_GIL");
        Map<String, String> childEnv = new HashMap<>(venv.env());
        childEnv.putAll(testEnv);
        return new Harness(toolchain.libpython(), venv.dir(), project, work.resolve("harness"))
                .threads(threads).iterations(iterations).deadline(testDeadline).modules(modules)
                .pytestArgs(pytestArgs).threadUnsafe(threadUnsafe).env(childEnv).progress(progress)
                // the baseline (a GIL build, or PYTHON_GIL=1) runs single-threaded; a free-threaded run also
                // probes the imports with PYTHON_GIL unset, to see whether a module turns the GIL back on
                .singleThreadedOnly(!ft || "1".equals(gil))
                .probeWithGilUnset(ft && gilEnv == null)
                .call();
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static Outcome failedBuild(String reason, String tail, long t0) {
        return new Outcome(BuildResult.failed(reason, tail, (System.nanoTime() - t0) / 1_000_000), List.of(), null, "",
                Map.of(), List.of(), "");
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
