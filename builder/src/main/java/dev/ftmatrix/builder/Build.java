package dev.ftmatrix.builder;

import dev.ftmatrix.builder.internal.TestRequirementsFetch;
import dev.ftmatrix.builder.internal.TestRequirementsResolver;
import dev.ftmatrix.builder.sandbox.DynamicBuildRequires;
import dev.ftmatrix.builder.sandbox.RustToolchain;
import dev.ftmatrix.builder.sandbox.Wheelhouse;
import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Timings;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.scanner.WheelModules;
import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.support.Processes;
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
 * Builds a project for one toolchain and installs it, with its test requirements, into a venv, in a {@link Sandbox}
 * (local processes unless {@link #sandbox} says otherwise): {@code new Build(project, toolchain, work).call()}.
 * Phases: resolve (on the host, with network: build and test requirements into a wheelhouse), then, offline in the
 * sandbox, venv, build (from a copy of the project) and install. The test stage takes the {@link Built} record.
 */
public final class Build {
    private final Path project;
    private final Toolchain toolchain;
    private final Path work;
    private Path pipCache;
    private List<String> testRequirements = List.of();
    private List<String> toolRequirements = List.of();
    private Map<String, String> env = Map.of();
    private Duration buildDeadline = Duration.ofMinutes(20);
    private Progress progress = Progress.NONE;
    private final Timings timings = new Timings();
    private Sandbox sandbox;   // null: as FTM_SANDBOX says (local processes when unset)

    public Build(Path project, Toolchain toolchain, Path work) {
        this.project = project;
        this.toolchain = toolchain;
        this.work = work;
        this.pipCache = work.resolve("pip-cache");
    }

    /** The project's own test requirements (as the scanner read them). */
    public Build testRequirements(List<String> requirements) {
        this.testRequirements = List.copyOf(requirements);
        return this;
    }

    /**
     * What the tests' own tools need in the venv whatever the project (the harness's pytest and pytest-run-parallel):
     * fetched with the build requirements, installed with the test requirements; one that does not install is ftm's
     * failure.
     */
    public Build toolRequirements(List<String> requirements) {
        this.toolRequirements = List.copyOf(requirements);
        return this;
    }

    /** Extra environment for build and tests (a matrix's {@code env}). */
    public Build env(Map<String, String> env) {
        this.env = Map.copyOf(env);
        return this;
    }

    public Build pipCache(Path dir) {
        this.pipCache = dir;
        return this;
    }

    public Build buildDeadline(Duration d) {
        this.buildDeadline = d;
        return this;
    }

    /**
     * Where the build and install run (and the tests after them); the resolve phase always runs on the host. Unset,
     * the environment's {@code FTM_SANDBOX} decides ({@code container}, {@code auto}, {@code none}: the default).
     */
    public Build sandbox(Sandbox s) {
        this.sandbox = s;
        return this;
    }

    public Build progress(Progress p) {
        this.progress = p;
        return this;
    }

    public Built call() {
        if (sandbox == null) {
            sandbox = Sandbox.fromEnvironment(SandboxLimits.DEFAULT, progress);
        }
        return sandbox.timed(timings, this::run);
    }

    private Built run() {
        String tag = "[" + toolchain.variant() + "] ";
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(work);
            Files.createDirectories(pipCache);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = work.resolve("build.log");
        Path wheelhouse = work.resolve("wheelhouse");
        Map<String, String> hostPip = Map.of("PIP_CACHE_DIR", pipCache.toString(),
                "PIP_DISABLE_PIP_VERSION_CHECK", "1", "PIP_NO_INPUT", "1");
        Venv venv;
        List<Path> wheels;
        TestRequirementsResolver.Result testReqs;
        boolean installedTogether;
        TestRequirementsFetch testsFetch = null;
        try {
            progress.report(tag + "venv, resolve and build (sandbox: " + sandbox.kind() + ")");
            // the project itself is mounted read-only; builds write build/ and *.egg-info into their source tree
            Path src = work.resolve("src");
            long t = System.nanoTime();
            FileTrees.copy(project, src);
            t = timings.since("copy", t);
            List<Path> readOnly = new ArrayList<>(List.of(toolchain.prefix(), project));
            Map<String, String> buildEnv = new HashMap<>(env);
            if (Files.exists(src.resolve("Cargo.toml"))) {
                RustToolchain rust = RustToolchain.find().orElse(null);
                if (rust == null) {
                    return ftmFailed("build: a Rust project, and no cargo on this machine: install Rust with rustup", "", t0);
                }
                Processes.Run fetched = rust.fetch(src, work.resolve("cargo-home"), log, buildDeadline);
                t = timings.since("resolve", t);
                if (!fetched.ok()) {
                    return ftmFailed("resolve: cargo fetch failed (exit " + fetched.exitCode() + ")", fetched.tail(40), t0);
                }
                readOnly.addAll(rust.mounts());
                buildEnv.putAll(rust.env(work.resolve("cargo-home")));
            }
            try {
                venv = Venv.create(toolchain, work.resolve("venv"), pipCache, log, sandbox, readOnly, List.of(work));
                t = timings.since("venv", t);
            } catch (StepFailed e) {
                return ftmFailed("venv: " + e.getMessage(), e.tail(), t0);
            }
            venv.environment(buildEnv);
            Wheelhouse.Resolved resolved = Wheelhouse.resolve(venv.python(), project, toolRequirements, List.of(),
                    wheelhouse, hostPip, log, buildDeadline);
            if (!resolved.ok()) {
                return ftmFailed("resolve: cannot download the build requirements " + resolved.buildRequires()
                        + " and " + toolRequirements, resolved.run().tail(40), t0);
            }
            // the test requirements are needed only to install: fetched on the host while the project builds
            testsFetch = TestRequirementsFetch.start(venv.python(), testRequirements, toolRequirements, work,
                    wheelhouse, hostPip, log, buildDeadline);
            DynamicBuildRequires.Result dynamic = new DynamicBuildRequires(resolved, src, toolchain.python(), sandbox)
                    .readOnly(readOnly).env(buildEnv).log(log).deadline(buildDeadline).call();
            t = timings.since("resolve", t);
            if (!dynamic.ok()) {
                // the hook runs the project's own code (setup.py, an in-tree backend): its failure is the build's
                return failedBuild(dynamic.reason(), dynamic.logTail(), t0);
            }
            venv.offline(resolved.dir());
            Path dist = work.resolve("dist");
            FileTrees.delete(dist);
            Files.createDirectories(dist);
            Path cargoHome = work.resolve("cargo-home");
            Processes.Run build = venv.buildWheel(src, dist, Files.isDirectory(cargoHome) ? List.of(cargoHome) : List.of(),
                    buildDeadline);
            t = timings.since("build", t);
            if (!build.ok()) {
                String reason = build.timedOut() ? "build passed its deadline of " + buildDeadline.toMinutes() + " min"
                        : "pip wheel failed (exit " + build.exitCode() + ")";
                BuildFailure cause = BuildFailures.classify(build.output());
                String tail = String.join("\n", cause.lines()) + "\n...\n" + build.tail(40);
                if (cause.ftmFault()) {
                    return ftmFailed("build: " + cause.category() + " (" + cause.explanation() + "): "
                            + (cause.lines().isEmpty() ? reason : cause.lines().getFirst()), tail, t0);
                }
                return failedBuild(reason + "; cause: " + cause.category(), tail, t0);
            }
            try (Stream<Path> s = Files.list(dist)) {
                wheels = s.filter(p -> p.toString().endsWith(".whl")).sorted().toList();
            }
            progress.report(tag + "built in " + build.millis() + " ms (sandbox: " + sandbox.kind() + ")");
            if (wheels.isEmpty()) {
                return failedBuild("pip wheel produced no wheel", build.tail(40), t0);
            }
            testReqs = testsFetch.await();
            t = timings.since("resolve", t);
            // the built wheel's own dependencies (its Requires-Dist), fetched on the host, installed offline with it
            List<String> deps = new ArrayList<>(List.of(venv.python().toString(), "-m", "pip", "wheel", "--prefer-binary",
                    "--wheel-dir", wheelhouse.toString(), "--find-links", wheelhouse.toString()));
            wheels.forEach(w -> deps.add(w.toString()));
            Processes.Run fetchedDeps = wheels.stream().allMatch(Wheelhouse::requiresNothing)
                    ? new Processes.Run(0, false, "", 0)
                    : Processes.run(deps, work, hostPip, log, l -> { }, buildDeadline);
            t = timings.since("resolve", t);
            if (!fetchedDeps.ok()) {
                return ftmFailed("resolve: cannot fetch the runtime dependencies of " + names(wheels) + " for "
                        + toolchain.variant(), fetchedDeps.tail(40), t0);
            }
            // one pip run for the wheel, the harness's requirements and the project's test requirements when they
            // install together, as they mostly do (each pip run is seconds of start-up); else the wheel alone first,
            // then the requirements with their own fallbacks
            List<String> install = new ArrayList<>(List.of("install"));
            wheels.forEach(w -> install.add(w.toString()));
            List<String> together = new ArrayList<>(install);
            together.addAll(toolRequirements);
            together.addAll(testReqs.fetched());
            installedTogether = venv.pip(work, buildDeadline, together.toArray(String[]::new)).ok();
            if (!installedTogether) {
                Processes.Run inst = venv.pip(work, buildDeadline, install.toArray(String[]::new));
                if (!inst.ok()) {
                    timings.since("install", t);
                    return ftmFailed("install: the built wheel and its runtime dependencies do not install offline",
                            inst.tail(40), t0);
                }
            }
            timings.since("install", t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (testsFetch != null) {
                awaitQuietly(testsFetch);   // a failed build leaves no pip of ours writing into its work directory
            }
        }
        BuildResult built = new BuildResult(true, "", wheels.stream().map(p -> p.getFileName().toString()).toList(),
                "", (System.nanoTime() - t0) / 1_000_000);
        List<String> modules = wheels.stream().flatMap(w -> WheelModules.modulesOf(w).stream()).distinct().toList();
        long tInstall = System.nanoTime();
        try {
            VariantResult.TestRequirements reqs = installedTogether
                    ? new VariantResult.TestRequirements(testReqs.fetched(), testReqs.missing())
                    : TestRequirementsResolver.install(venv, work, testReqs, toolRequirements, buildDeadline);
            timings.since("install", tInstall);
            return new Built(project, toolchain, work, env, built, modules, venv, sandbox, "", reqs, timings.snapshot());
        } catch (StepFailed e) {
            return new Built(project, toolchain, work, env, built, modules, venv, sandbox,
                    "install: " + e.getMessage() + (e.tail().isEmpty() ? "" : "\n" + e.tail()), null,
                    timings.snapshot());
        }
    }

    private static void awaitQuietly(TestRequirementsFetch fetch) {
        try {
            fetch.await();
        } catch (IOException | RuntimeException e) {
            // the build already ended another way; this only waits for the background pip to finish
        }
    }

    private static String names(List<Path> wheels) {
        return String.join(", ", wheels.stream().map(w -> w.getFileName().toString()).toList());
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private Built failedBuild(String reason, String tail, long t0) {
        return new Built(project, toolchain, work, env, BuildResult.failed(reason, tail,
                (System.nanoTime() - t0) / 1_000_000), List.of(), null, sandbox, "", null, timings.snapshot());
    }

    /** ftm itself failed at a step: the build result says so too, and nothing is claimed about the project. */
    private Built ftmFailed(String stepAndReason, String tail, long t0) {
        progress.report("[" + toolchain.variant() + "] ftm failed at " + firstLine(stepAndReason));
        return new Built(project, toolchain, work, env, BuildResult.failed("not built: ftm failed at " + stepAndReason,
                tail, (System.nanoTime() - t0) / 1_000_000), List.of(), null, sandbox, stepAndReason, null,
                timings.snapshot());
    }
}
