package dev.ftmatrix.testrunner;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.testrunner.harness.Step;
import dev.ftmatrix.testrunner.harness.StepResults;
import dev.ftmatrix.builder.StepFailed;
import dev.ftmatrix.builder.Venv;
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

/**
 * Measures the harness against {@code python -m pytest} in a subprocess on one generated suite (start-up and
 * per-test overhead), and the speed-up of N threads running a CPU-bound pure-Python test body at once. Use:
 * {@code new HarnessBench(toolchain, work).threads(2).call()}.
 */
public final class HarnessBench {
    private final Toolchain toolchain;
    private final Path work;
    private int threads = 2;
    private int tests = 200;
    private int cpuLoops = 3_000_000;
    /** Each figure is the best of this many runs: the machine may be busy with other work. */
    private int repeats = 3;
    private Progress progress = Progress.NONE;

    public HarnessBench(Toolchain toolchain, Path work) {
        this.toolchain = toolchain;
        this.work = work;
    }

    public HarnessBench threads(int n) {
        this.threads = n;
        return this;
    }

    /** How many trivial tests the overhead suite has (default 200). */
    public HarnessBench tests(int n) {
        this.tests = n;
        return this;
    }

    /** Iterations of the CPU-bound test's loop (default 3,000,000: about half a second on one core). */
    public HarnessBench cpuLoops(int n) {
        this.cpuLoops = n;
        return this;
    }

    /** Each figure is the best (smallest) of this many runs (default 3). */
    public HarnessBench repeats(int n) {
        this.repeats = n;
        return this;
    }

    public HarnessBench progress(Progress p) {
        this.progress = p;
        return this;
    }

    /**
     * What was measured, in milliseconds, each the best of a few runs.
     *
     * @param pytestStartMillis {@code python -m pytest --collect-only} of the suite
     * @param pytestSuiteMillis {@code python -m pytest} running the suite
     * @param harnessStartMillis the harness's wall time less its steps: child JVM, interpreter, pytest, collection
     * @param harnessSuiteMillis the harness running the suite single-threaded, wall time
     * @param cpuOneMillis one run of the CPU-bound test body by one Java thread in the harness
     * @param cpuParallelMillis {@code threads} runs of it at once, one per Java thread
     * @param speedup {@code threads * cpuOne / cpuParallel}: 1.0 means no parallelism, {@code threads} is perfect
     */
    public record Figures(String variant, int tests, int threads, long pytestStartMillis, long pytestSuiteMillis,
                          long harnessStartMillis, long harnessSuiteMillis, long cpuOneMillis, long cpuParallelMillis,
                          double speedup) {
        public double pytestPerTestMillis() {
            return (double) (pytestSuiteMillis - pytestStartMillis) / tests;
        }

        public double harnessPerTestMillis() {
            return (double) (harnessSuiteMillis - harnessStartMillis) / tests;
        }
    }

    public Figures call() throws StepFailed {
        Path project = work.resolve("suite");
        writeSuite(project);
        progress.report("bench: venv with pytest for " + toolchain.label());
        Venv venv = Venv.create(toolchain, work.resolve("venv"), work.resolve("pip-cache"), work.resolve("bench.log"));
        Processes.Run pip = venv.pip(work, Duration.ofMinutes(10), "install", "pytest");
        if (!pip.ok()) {
            throw new StepFailed("cannot install pytest into the bench venv", pip);
        }
        Map<String, String> env = new HashMap<>(venv.env());
        if (toolchain.variant().freeThreaded()) {
            env.put("PYTHON_GIL", "0");
        }
        progress.report("bench: python -m pytest in a subprocess, best of " + repeats);
        List<String> pytest = List.of(venv.python().toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "noop");
        timed(pytest, project, env);   // warm the file system cache
        long pytestStart = Long.MAX_VALUE;
        long pytestSuite = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            pytestStart = Math.min(pytestStart, timed(concat(pytest, "--collect-only"), project, env));
            pytestSuite = Math.min(pytestSuite, timed(pytest, project, env));
        }

        progress.report("bench: the FFM harness, single-threaded, best of " + repeats);
        long harnessStart = Long.MAX_VALUE;
        long harnessSuite = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            Harness.Report suite = new Harness(toolchain.libpython(), venv.dir(), project, work.resolve("harness-suite"))
                    .env(env).singleThreadedOnly(true).pytestArgs(List.of("-k", "noop")).call();
            requireOk(suite);
            long steps = suite.steps().stream().mapToLong(StepResults.Done::millis).sum();
            harnessStart = Math.min(harnessStart, suite.wallMillis() - steps);
            harnessSuite = Math.min(harnessSuite, suite.wallMillis());
        }

        // both figures come from the parallel phase, so that one thread and N threads run the body the same way
        progress.report("bench: " + repeats + " CPU-bound tests, each run by 1 Java thread, then by " + threads
                + " at once");
        long one = parallelStepMillis(project, venv, env, 1);
        long parallel = parallelStepMillis(project, venv, env, threads);
        return new Figures(toolchain.variant().id(), tests, threads, pytestStart, pytestSuite, harnessStart,
                harnessSuite, one, parallel, parallel == 0 ? 0 : threads * (double) one / parallel);
    }

    /** The best time of a parallel step of the CPU-bound tests with {@code n} Java threads. */
    private long parallelStepMillis(Path project, Venv venv, Map<String, String> env, int n) {
        Harness.Report cpu = new Harness(toolchain.libpython(), venv.dir(), project, work.resolve("harness-cpu-" + n))
                .env(env).threads(n).pytestArgs(List.of("-k", "cpu")).call();
        requireOk(cpu);
        return cpu.steps().stream().filter(d -> d.step().phase().equals(Step.PARALLEL))
                .mapToLong(StepResults.Done::millis).min()
                .orElseThrow(() -> new IllegalStateException("the harness ran no parallel step"));
    }

    private static void requireOk(Harness.Report r) {
        if (!r.error().isEmpty() || r.tests().stream().anyMatch(t -> t.outcome().isBad())) {
            throw new IllegalStateException("the bench suite did not pass in the harness: " + r.error() + " " + r.tests());
        }
    }

    private long timed(List<String> cmd, Path dir, Map<String, String> env) throws StepFailed {
        Processes.Run r = Processes.run(cmd, dir, env, work.resolve("bench.log"), l -> { }, Duration.ofMinutes(10));
        if (!r.ok()) {
            throw new StepFailed("the bench suite failed under " + String.join(" ", cmd), r);
        }
        return r.millis();
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    private void writeSuite(Path project) {
        StringBuilder sb = new StringBuilder("\"\"\"Generated by ftm bench.\"\"\"\n\n\n");
        for (int i = 0; i < tests; i++) {
            sb.append("def test_noop_").append(i).append("():\n    assert ").append(i).append(" >= 0\n\n\n");
        }
        for (int i = 0; i < repeats; i++) {
            sb.append("def test_cpu_").append(i).append("():\n    s = 0\n    for i in range(").append(cpuLoops)
                    .append("):\n        s += i * i\n    assert s > 0\n\n\n");
        }
        try {
            Files.createDirectories(project.resolve("tests"));
            Files.writeString(project.resolve("pyproject.toml"), "[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n");
            Files.writeString(project.resolve("tests/test_bench.py"), sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
