package dev.ftmatrix.testrunner;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.testrunner.internal.ImportProbe;
import dev.ftmatrix.testrunner.internal.PytestSession;
import dev.ftmatrix.testrunner.internal.StepFailed;
import dev.ftmatrix.toolchain.FileTrees;
import dev.ftmatrix.testrunner.internal.Venv;
import dev.ftmatrix.testrunner.internal.Wheels;
import dev.ftmatrix.testrunner.patches.BuildFailure;
import dev.ftmatrix.testrunner.patches.BuildFailures;
import dev.ftmatrix.testrunner.sandbox.DynamicBuildRequires;
import dev.ftmatrix.testrunner.sandbox.RustToolchain;
import dev.ftmatrix.testrunner.sandbox.Sandbox;
import dev.ftmatrix.testrunner.sandbox.SandboxLimits;
import dev.ftmatrix.testrunner.sandbox.Wheelhouse;
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
 * Builds a project for one toolchain, imports its extension modules and runs its tests, in a {@link Sandbox} (local
 * processes unless {@link #sandbox} says otherwise): {@code new VariantRun(project, toolchain, work).tests(...).call()}.
 * Phases: resolve (on the host, with network: build and test requirements into a wheelhouse), then, offline in the
 * sandbox, venv, build (from a copy of the project), install, import probe and tests.
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
    private Sandbox sandbox;   // null: as FTM_SANDBOX says (local processes when unset)

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

    /**
     * Where the build, install, import and tests run; the resolve phase always runs on the host. Unset, the
     * environment's {@code FTM_SANDBOX} decides ({@code container}, {@code auto}, {@code none}: the default).
     */
    public VariantRun sandbox(Sandbox s) {
        this.sandbox = s;
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

    /**
     * What one run produced; the verdict is decided from it by {@link Verdicts}.
     *
     * @param sandbox where it ran: {@code container}, or {@code none} for local processes
     */
    public record Outcome(BuildResult build, List<String> modules, Boolean gilEnabledAfterImport, String gilReenabledBy,
                          Map<String, String> importErrors, List<TestResult> tests, String testError, String sandbox) {
        public Outcome(BuildResult build, List<String> modules, Boolean gilEnabledAfterImport, String gilReenabledBy,
                       Map<String, String> importErrors, List<TestResult> tests, String testError) {
            this(build, modules, gilEnabledAfterImport, gilReenabledBy, importErrors, tests, testError, "none");
        }
    }

    public Outcome call() {
        if (sandbox == null) {
            sandbox = Sandbox.fromEnvironment(SandboxLimits.DEFAULT, progress);
        }
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
            progress.report(tag + "venv, resolve and build (sandbox: " + sandbox.kind() + ")");
            // the project itself is mounted read-only; builds write build/ and *.egg-info into their source tree
            Path src = work.resolve("src");
            FileTrees.copy(project, src);
            List<Path> readOnly = new ArrayList<>(List.of(toolchain.prefix(), project));
            Map<String, String> buildEnv = new HashMap<>(env);
            if (Files.exists(src.resolve("Cargo.toml"))) {
                RustToolchain rust = RustToolchain.find().orElse(null);
                if (rust == null) {
                    return failedBuild("a Rust project, and no cargo on this machine: install Rust with rustup", "", t0);
                }
                Processes.Run fetched = rust.fetch(src, work.resolve("cargo-home"), log, buildDeadline);
                if (!fetched.ok()) {
                    return failedBuild("resolve: cargo fetch failed (exit " + fetched.exitCode() + ")", fetched.tail(40), t0);
                }
                readOnly.addAll(rust.mounts());
                buildEnv.putAll(rust.env(work.resolve("cargo-home")));
            }
            venv = Venv.create(toolchain, work.resolve("venv"), pipCache, log, sandbox, readOnly, List.of(work));
            venv.environment(buildEnv);
            Wheelhouse.Resolved resolved = Wheelhouse.resolve(venv.python(), project, testRequirements, List.of(),
                    work.resolve("wheelhouse"), Map.of("PIP_CACHE_DIR", pipCache.toString(),
                            "PIP_DISABLE_PIP_VERSION_CHECK", "1", "PIP_NO_INPUT", "1"), log, buildDeadline);
            if (!resolved.ok()) {
                return failedBuild("resolve: cannot download the build and test requirements " + resolved.buildRequires()
                        + " + " + testRequirements, resolved.run().tail(40), t0);
            }
            DynamicBuildRequires.Result dynamic = new DynamicBuildRequires(resolved, src, toolchain.python(), sandbox)
                    .readOnly(readOnly).env(buildEnv).log(log).deadline(buildDeadline).call();
            if (!dynamic.ok()) {
                return failedBuild(dynamic.reason(), dynamic.logTail(), t0);
            }
            venv.offline(resolved.dir());
            Path dist = work.resolve("dist");
            FileTrees.delete(dist);
            Files.createDirectories(dist);
            Path cargoHome = work.resolve("cargo-home");
            Processes.Run build = venv.buildWheel(src, dist, Files.isDirectory(cargoHome) ? List.of(cargoHome) : List.of(),
                    buildDeadline);
            if (!build.ok()) {
                String reason = build.timedOut() ? "build passed its deadline of " + buildDeadline.toMinutes() + " min"
                        : "pip wheel failed (exit " + build.exitCode() + ")";
                BuildFailure cause = BuildFailures.classify(build.output());
                return failedBuild(reason + "; cause: " + cause.category(),
                        String.join("\n", cause.lines()) + "\n...\n" + build.tail(40), t0);
            }
            try (Stream<Path> s = Files.list(dist)) {
                wheels = s.filter(p -> p.toString().endsWith(".whl")).sorted().toList();
            }
            progress.report(tag + "built in " + build.millis() + " ms (sandbox: " + sandbox.kind() + ")");
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
        return new Outcome(built, modules, gilAfter, reenabledBy, importErrors, tests, testError, sandbox.kind());
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
                .processes(inSandbox())
                .call();
    }

    /**
     * The harness's child JVMs run in the same sandbox as the build: in a container they see the toolchain, this
     * JVM's home and class path and the project read-only, and only the work directory writable.
     */
    private dev.ftmatrix.testrunner.harness.ChildProcesses inSandbox() {
        List<Path> readOnly = new ArrayList<>(List.of(toolchain.prefix(), project));
        readOnly.addAll(dev.ftmatrix.testrunner.harness.ChildProcesses.jvmPaths());
        readOnly.removeIf(p -> p.startsWith(work) || !Files.exists(p));
        return (argv, cwd, childEnv, log, deadline) -> sandbox.run(new dev.ftmatrix.testrunner.sandbox.SandboxCommand(
                argv, cwd, childEnv, readOnly, List.of(work), log, deadline));
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private Outcome failedBuild(String reason, String tail, long t0) {
        return new Outcome(BuildResult.failed(reason, tail, (System.nanoTime() - t0) / 1_000_000), List.of(), null, "",
                Map.of(), List.of(), "", sandbox.kind());
    }
}
