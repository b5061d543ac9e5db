package dev.ftmatrix.testrunner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.builder.Built;
import dev.ftmatrix.builder.ImportProbe;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.builder.SandboxCommand;
import dev.ftmatrix.builder.StepFailed;
import dev.ftmatrix.builder.Venv;
import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.Timings;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.testrunner.harness.ChildLauncher;
import dev.ftmatrix.testrunner.harness.ChildMain;
import dev.ftmatrix.testrunner.harness.ChildProcesses;
import dev.ftmatrix.testrunner.harness.Step;
import dev.ftmatrix.testrunner.internal.PytestSession;
import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imports a built project's extension modules and runs its tests, in the venv and sandbox the build stage left
 * ({@link Built}): {@code new VariantRun(new Build(project, toolchain, work).call()).tests(...).call()}, the two wired
 * by the caller. Phases: import probe and tests, offline in the sandbox. A build that failed is passed through as the
 * outcome, with no tests.
 */
public final class VariantRun {
    /** What the harness itself needs in every test venv: pytest, and pytest-run-parallel as the reference for thread-safety. */
    public static final List<String> HARNESS_REQUIREMENTS = List.of("pytest", "pytest-run-parallel>=0.10");

    private final Built built;
    private final Path project;
    private final Toolchain toolchain;
    private final Path work;
    private final Map<String, String> env;
    private final Sandbox sandbox;
    private TestOptions options = TestOptions.defaults();
    private Map<String, String> gilEnv = null;
    private Progress progress = Progress.NONE;
    private boolean harness = true;
    private final Timings timings = new Timings();
    private boolean collectOnly;
    // what call() set up, for rerunConcurrently: the venv with the project installed, the tests' tree and environment
    private Venv venv;
    private Path testTree;
    private Map<String, String> testEnv;
    private List<String> modules = List.of();

    /** The tests of what {@code built} built and installed (its timings are this run's first). */
    public VariantRun(Built built) {
        this.built = built;
        this.project = built.project();
        this.toolchain = built.toolchain();
        this.work = built.work();
        this.env = built.env();
        this.sandbox = built.sandbox();
        timings.addAll(built.timings());
    }

    /**
     * The tests of the same build once more (its venv, installed wheel and sandbox; the options, progress and harness
     * choice of this run), writing their tree and events in {@code work}: a free-threaded build's suite with
     * {@code PYTHON_GIL=1}, its own baseline, without building it again. The build's timings are not counted again.
     */
    public VariantRun againIn(Path work) {
        Built b = new Built(built.project(), built.toolchain(), work, built.env(), built.build(), built.modules(),
                built.venv(), built.sandbox(), built.ftmError(), built.testRequirements(), Map.of());
        return new VariantRun(b).options(options).progress(progress).harness(harness);
    }

    /** How the tests run: threads, iterations, deadlines, thread-unsafe ids, pytest arguments. One record, passed whole. */
    public VariantRun options(TestOptions o) {
        this.options = o;
        return this;
    }

    /** pytest arguments; empty runs pytest's own discovery from the project's root. */
    public VariantRun tests(List<String> args) {
        this.options = options.withPytestArgs(args);
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

    public VariantRun testDeadline(Duration d) {
        this.options = options.withTestDeadline(d);
        return this;
    }

    public VariantRun progress(Progress p) {
        this.progress = p;
        return this;
    }

    /**
     * Run the tests in the FFM {@link Harness} (the default) or, with false, as a {@code python -m pytest}
     * subprocess. A harness that cannot run the tests is ftm's error, never a reason to fall back.
     */
    public VariantRun harness(boolean use) {
        this.harness = use;
        return this;
    }

    /** Build, install and collect the tests in the harness, but run none (to compare collection with pytest's). */
    public VariantRun collectOnly(boolean b) {
        this.collectOnly = b;
        return this;
    }

    /** Java threads that run each test at once in the harness (default: the cores). */
    public VariantRun threads(int n) {
        this.options = options.withThreads(n);
        return this;
    }

    /** How often the harness repeats the parallel phase, for a flakiness rate (default 1). */
    public VariantRun iterations(int k) {
        this.options = options.withIterations(k);
        return this;
    }

    /** Test ids the harness runs single-threaded only, besides those marked {@code thread_unsafe}. */
    public VariantRun threadUnsafe(List<String> ids) {
        this.options = options.withThreadUnsafe(ids);
        return this;
    }

    /**
     * What one run produced; the verdict is decided from it by {@link Verdicts}.
     *
     * @param sandbox where it ran: {@code container}, or {@code none} for local processes
     * @param ftmError empty, or the step at which ftm itself failed and why ({@code resolve: ...}): then nothing is
     *     claimed about the project
     * @param importProbe what the import probe imported and how, or why it could not
     */
    public record Outcome(BuildResult build, List<String> modules, Boolean gilEnabledAfterImport, String gilReenabledBy,
                          Map<String, String> importErrors, List<TestResult> tests, String testError, String sandbox,
                          String ftmError, Harness.Collection collection,
                          VariantResult.TestRequirements testRequirements, String importProbe) {
        public Outcome {
            importErrors = importErrors == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(importErrors));
            tests = List.copyOf(tests);
            testError = testError == null ? "" : testError;
            ftmError = ftmError == null ? "" : ftmError;
            collection = collection == null ? Harness.Collection.NONE : collection;
            testRequirements = testRequirements == null ? VariantResult.TestRequirements.NONE : testRequirements;
            importProbe = importProbe == null ? "" : importProbe;
        }

        public Outcome(BuildResult build, List<String> modules, Boolean gilEnabledAfterImport, String gilReenabledBy,
                       Map<String, String> importErrors, List<TestResult> tests, String testError, String sandbox) {
            this(build, modules, gilEnabledAfterImport, gilReenabledBy, importErrors, tests, testError, sandbox, "",
                    Harness.Collection.NONE, VariantResult.TestRequirements.NONE, "");
        }

        public Outcome(BuildResult build, List<String> modules, Boolean gilEnabledAfterImport, String gilReenabledBy,
                       Map<String, String> importErrors, List<TestResult> tests, String testError) {
            this(build, modules, gilEnabledAfterImport, gilReenabledBy, importErrors, tests, testError, "none");
        }

        /** The same outcome with other test results (after confirmation runs). */
        public Outcome withTests(List<TestResult> t) {
            return new Outcome(build, modules, gilEnabledAfterImport, gilReenabledBy, importErrors, t, testError, sandbox,
                    ftmError, collection, testRequirements, importProbe);
        }

        /** How many tests pytest collected; -1 when collection never finished. */
        public int collected() {
            return collection.ids() == null ? -1 : collection.ids().size();
        }
    }

    /** Wall time per phase of {@link #call()} and the reruns so far. */
    public Timings timings() {
        return timings;
    }

    public Outcome call() {
        if (!built.ok()) {
            return new Outcome(built.build(), built.modules(), null, "", Map.of(), List.of(), "", sandbox.kind(),
                    built.ftmError(), null, built.testRequirements(), "");
        }
        return sandbox.timed(timings, this::run);
    }

    private Outcome run() {
        String tag = "[" + toolchain.variant() + "] ";
        Venv venv = built.venv();
        BuildResult built = this.built.build();
        List<String> modules = this.built.modules();
        VariantResult.TestRequirements reqs = this.built.testRequirements();
        if (!reqs.missing().isEmpty()) {
            progress.report(tag + "test requirements not installed: " + reqs.missing().stream()
                    .map(m -> m.name() + " (" + m.reason() + ")").toList());
        }
        Map<String, String> testEnv = new HashMap<>(env);
        if (gilEnv != null) {
            testEnv.putAll(gilEnv);
        } else if (toolchain.variant().freeThreaded()) {
            testEnv.put("PYTHON_GIL", "0");
        }
        // an installed Python's libpython is where the dynamic linker looks; a test that builds a program embedding
        // Python finds the toolchain's there too
        Path libdir = toolchain.libpython().getParent();
        testEnv.put("LD_LIBRARY_PATH", libdir + (env.containsKey("LD_LIBRARY_PATH") ? ":" + env.get("LD_LIBRARY_PATH") : ""));
        String gilNote = testEnv.containsKey("PYTHON_GIL") ? " with PYTHON_GIL=" + testEnv.get("PYTHON_GIL") : "";
        if (!harness || !Files.isRegularFile(toolchain.libpython())) {
            return subprocess(venv, built, modules, testEnv, gilNote, tag, reqs);
        }
        progress.report(tag + "import " + String.join(", ", modules) + " and tests in the FFM harness" + gilNote);
        // the tests run in a pristine copy of their own per variant, as a fresh checkout in CI: what a suite writes into
        // its tree (a helper program compiled once, an in-place build) must not leak from one interpreter's run into
        // another's
        Path testTree = work.resolve("project");
        long tCopy = System.nanoTime();
        FileTrees.delete(testTree);
        FileTrees.copy(project, testTree);
        timings.since("copy", tCopy);
        this.venv = venv;
        this.testTree = testTree;
        this.testEnv = testEnv;
        this.modules = modules;
        Harness.Report report = harness(venv, modules, testEnv, testTree);
        if (report.collectErrors().values().stream().anyMatch(e -> e.contains("import file mismatch"))
                && options.pytestArgs().stream().noneMatch(a -> a.startsWith("--import-mode"))) {
            // tests inside the package (bitarray/test_bitarray.py): pytest's default import mode takes them for
            // modules of the installed package and refuses the mismatch; the project's own CI tests the installed
            // package, which importlib mode does without touching sys.path
            progress.report(tag + "tests live inside the package: collecting again with --import-mode=importlib");
            // (kept for this run's confirmation reruns too)
            options = options.withPytestArgs(concat(options.pytestArgs(), "--import-mode=importlib"));
            FileTrees.delete(work.resolve("harness"));
            report = harness(venv, modules, testEnv, testTree);
        }
        Harness.Probe probe = report.probes().stream().filter(p -> p.pythonGil() == null).findFirst()
                .orElse(report.probes().isEmpty() ? null : report.probes().getFirst());
        String probeNote = probe == null ? "no import probe ran: " + firstLine(report.error())
                : "imported " + (modules.isEmpty() ? "the interpreter only (no extension module in the wheel)"
                        : String.join(", ", modules)) + ", each in a fresh interpreter, with PYTHON_GIL "
                        + (probe.pythonGil() == null ? "unset" : "=" + probe.pythonGil());
        progress.report(String.format(Locale.ROOT, "%s%d test(s) of %d collected in %.1f s, %d child JVM(s)%s",
                tag, report.tests().size(), report.collection().ids() == null ? 0 : report.collection().ids().size(),
                report.wallMillis() / 1000.0, report.children(),
                report.collection().droppedOptions().isEmpty() ? ""
                        : "; addopts dropped: " + report.collection().droppedOptions()));
        return new Outcome(built, modules, probe == null ? null : probe.gilEnabledAfter(),
                probe == null ? "" : probe.reenabledBy(), probe == null ? Map.of() : probe.errors(), report.tests(),
                report.error(), sandbox.kind(), "", report.collection(), reqs, probeNote);
    }

    /**
     * Runs {@code ids} concurrently {@code iterations} more times in the venv {@link #call()} built (no rebuild), with
     * the same threads and environment: per test, how many of these runs failed, as a {@link TestResult} of phase
     * {@code concurrent} (or passing). Used to confirm a concurrent failure on both builds before blaming anyone.
     * With the GIL, a test's runs stop at its first failure: that one failure is the evidence sought.
     */
    public Map<String, TestResult> rerunConcurrently(List<String> ids, int iterations) {
        if (venv == null || ids.isEmpty()) {
            return Map.of();
        }
        List<Step> steps = new ArrayList<>();
        for (int k = 1; k <= iterations; k++) {
            for (String id : ids) {
                steps.add(Step.parallel(id, k));
            }
        }
        Map<String, String> childEnv = new HashMap<>(venv.env());
        childEnv.putAll(testEnv);
        boolean withGil = !toolchain.variant().freeThreaded() || "1".equals(testEnv.get("PYTHON_GIL"));
        if (withGil) {
            childEnv.put("FTM_INTERLEAVE", "1");   // the copies overlap line by line in the project's own code
        }
        // the confirmation has a budget of its own: 10 minutes, the rest reported as not run
        TestOptions budget = new TestOptions(options.threads(), options.iterations(), options.testDeadline(),
                options.threadUnsafe(), options.pytestArgs(), options.maxConsecutiveHangs(), Duration.ofMinutes(10));
        Harness.Report r = new Harness(toolchain.libpython(), venv.dir(), testTree, work.resolve("harness-rerun"))
                .options(budget).modules(modules).env(childEnv).progress(progress).processes(inSandbox())
                .plan(steps).untilFirstFailure(withGil).call();
        Map<String, TestResult> out = new LinkedHashMap<>();
        r.tests().stream().filter(t -> ids.contains(t.id())).forEach(t -> out.put(t.id(), t));
        return out;
    }

    /**
     * The suite as a user would run it concurrently: pytest-run-parallel ({@code --parallel-threads}, {@code
     * --iterations} as this run's options) in the venv, tree, environment and sandbox {@link #call()} used, with the
     * project's configuration treated as the harness treats it (ftm_pytest_config). For {@code ftm bench --against}.
     */
    public Reference referenceRun() {
        if (venv == null) {
            throw new IllegalStateException("referenceRun() needs a finished call(): no venv with the project yet");
        }
        Path dir = work.resolve("reference");
        FileTrees.delete(dir);
        ChildMain.copyResources(dir);
        Path out = dir.resolve("reference.json");
        Map<String, String> e = new HashMap<>(venv.env());
        e.putAll(testEnv);
        e.put("PYTHONPATH", dir + (e.get("PYTHONPATH") == null ? "" : ":" + e.get("PYTHONPATH")));
        e.put("FTM_REFERENCE_OUT", out.toString());
        e.put("FTM_MODULES", String.join(",", modules));
        // -P: as the `pytest` command runs, without the current directory on sys.path (`python -m` would put the
        // project's source tree before the installed package, whose compiled modules it lacks: xxhash)
        List<String> argv = new ArrayList<>(List.of(venv.python().toString(), "-P", "-m", "ftm_reference",
                "--parallel-threads=" + options.threads(), "--iterations=" + options.iterations()));
        argv.addAll(options.pytestArgs());
        List<Path> readOnly = new ArrayList<>(List.of(toolchain.prefix(), project));
        readOnly.removeIf(p -> p.startsWith(work) || !Files.exists(p));
        Processes.Run run = sandbox.run(new SandboxCommand(argv, testTree, e, readOnly,
                writable(work), dir.resolve("reference.log"), options.suiteDeadline()));
        if (!Files.isRegularFile(out)) {
            return new Reference(run.millis(), 0, 0, 0, run.exitCode(), Map.of(), run.tail(40));
        }
        try {
            JsonNode j = new ObjectMapper().readTree(out.toFile());
            Map<String, String> outcomes = new LinkedHashMap<>();
            j.path("outcomes").properties().forEach(x -> outcomes.put(x.getKey(), x.getValue().asText()));
            return new Reference(run.millis(), j.path("startMillis").asLong(), j.path("collectMillis").asLong(),
                    j.path("testsMillis").asLong(), run.exitCode(), outcomes, run.tail(40));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * A reference run: its wall time as ftm saw it (process or container included) and, from inside pytest, the
     * time to start, to collect and to run the tests; each test's outcome ({@code pass}, {@code fail}, ...).
     */
    public record Reference(long wallMillis, long startMillis, long collectMillis, long testsMillis, int exitCode,
                            Map<String, String> outcomes, String tail) {
        public Reference {
            outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        }
    }

    private Outcome subprocess(Venv venv, BuildResult built, List<String> modules, Map<String, String> testEnv,
                               String gilNote, String tag, VariantResult.TestRequirements reqs) {
        try {
            progress.report(tag + "import " + String.join(", ", modules));
            ImportProbe.Outcome probe = ImportProbe.run(venv.python(), modules, work, (argv, probeEnv, deadline) -> {
                Map<String, String> all = new HashMap<>(venv.env());
                all.putAll(env);
                all.putAll(probeEnv);
                return venv.run(argv, work, all, venv.log(), deadline);
            });
            if (!probe.unfinished().isEmpty()) {
                return new Outcome(built, modules, null, "", Map.of(), List.of(), "", sandbox.kind(),
                        "tests: " + probe.unfinished(), null, reqs, "");
            }
            progress.report(tag + "tests" + gilNote);
            List<TestResult> tests = new PytestSession(venv, project, work.resolve("tests"), options.pytestArgs(),
                    testEnv, options.testDeadline(), progress).call();
            return new Outcome(built, modules, probe.gilEnabledAfter(), probe.reenabledBy(), probe.errors(), tests, "",
                    sandbox.kind(), "", null, reqs, "imported " + String.join(", ", modules) + " in fresh interpreters");
        } catch (StepFailed e) {
            return new Outcome(built, modules, null, "", Map.of(), List.of(), "", sandbox.kind(),
                    "tests: " + e.getMessage() + (e.tail().isEmpty() ? "" : "\n" + e.tail()), null, reqs, "");
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    private Harness.Report harness(Venv venv, List<String> modules, Map<String, String> testEnv, Path testTree) {
        boolean ft = toolchain.variant().freeThreaded();
        Map<String, String> childEnv = new HashMap<>(venv.env());
        childEnv.putAll(testEnv);
        // the GIL build (and PYTHON_GIL=1) runs the same phases as the free-threaded one, alone and concurrently,
        // so that a test failing concurrently with the GIL too is known to be thread-unsafe in itself
        Harness h = new Harness(toolchain.libpython(), venv.dir(), testTree, work.resolve("harness"))
                .options(options).modules(modules).env(childEnv).progress(progress)
                // a free-threaded run also probes the imports with PYTHON_GIL unset: does a module turn the GIL on?
                .probeWithGilUnset(ft && gilEnv == null && !collectOnly)
                .collectOnly(collectOnly)
                .processes(inSandbox());
        Harness.Report r = h.call();
        timings.addAll(h.timings());
        return r;
    }

    /**
     * The harness's child JVMs run in the same sandbox as the build: in a container they see the toolchain, this
     * JVM's home and class path and the project read-only, and only the work directory writable.
     */
    private ChildProcesses inSandbox() {
        List<Path> readOnly = new ArrayList<>(List.of(toolchain.prefix(), project));
        readOnly.addAll(ChildProcesses.jvmPaths());
        readOnly.removeIf(p -> p.startsWith(work) || !Files.exists(p));
        Path cds = ChildLauncher.cdsDir();
        try {
            Files.createDirectories(cds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (argv, cwd, childEnv, log, deadline) -> sandbox.run(new SandboxCommand(
                argv, cwd, childEnv, readOnly, writable(work, cds), log, deadline));
    }

    /**
     * What the tests may write: {@code paths}, and the build's venv where it is not below this run's work directory
     * (the PYTHON_GIL=1 run of {@link #againIn} uses the venv of the run it repeats: without it, a container saw no
     * venv and no pytest).
     */
    private List<Path> writable(Path... paths) {
        List<Path> out = new ArrayList<>(List.of(paths));
        Path venv = built.venv().dir();
        if (out.stream().noneMatch(venv::startsWith)) {
            out.add(venv);
        }
        return out;
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }


}
