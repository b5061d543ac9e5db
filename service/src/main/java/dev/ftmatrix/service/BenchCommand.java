package dev.ftmatrix.service;

import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.support.Digests;
import dev.ftmatrix.testrunner.HarnessBench;
import dev.ftmatrix.toolchain.Toolchains;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm bench}: the FFM harness against {@code python -m pytest}, and N threads against one. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure, on one generated suite: start-up and per-test overhead of the FFM harness and of"
                + " python -m pytest in a subprocess; and the speed-up of N Java threads running a CPU-bound"
                + " pure-Python test body at once. Each figure is the best of 3 runs (free-threaded builds should approach N)."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--variant", defaultValue = "cp313t", description = "Default: ${DEFAULT-VALUE}")
    String variant;

    @Option(names = "--threads", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--tests", defaultValue = "200", description = "trivial tests in the overhead suite. Default: ${DEFAULT-VALUE}")
    int tests;

    @Option(names = "--repeats", defaultValue = "3", description = "each figure is the best of this many runs. Default: ${DEFAULT-VALUE}")
    int repeats;

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (default: CACHE/work/bench-VARIANT)")
    Path work;

    @Option(names = "--against", paramLabel = "TOOL", description = {"compare the harness with TOOL on a real project's"
            + " suite (SOURCE): pytest-run-parallel, in the same venv, tree and sandbox, with the same --threads and"
            + " --iterations"})
    String against;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE", description = "with --against: the project"
            + " (pypi:NAME==VERSION, git+URL, a directory, an sdist)")
    String source;

    @Option(names = "--iterations", defaultValue = "1", description = "with --against: concurrent runs per test."
            + " Default: ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--json", paramLabel = "FILE", description = "with --against: write the figures as JSON")
    Path json;

    @Option(names = "--python", paramLabel = "PATH", description = "with --against: the interpreter for the variant")
    Path python;

    @Override
    public Integer call() throws Exception {
        Variant v = Variants.parse(variant);
        within("--threads", threads, 1, TestOptions.MAX_THREADS);
        within("--tests", tests, 1, 100_000);
        within("--repeats", repeats, 1, 100);
        within("--iterations", iterations, 1, TestOptions.MAX_ITERATIONS);
        ConsoleProgress progress = new ConsoleProgress(System.err);
        Path cache = Toolchains.defaultCacheRoot();
        if (against != null || source != null) {
            return against(v, progress, cache);
        }
        Toolchain tc = new Toolchains(cache, progress).install(v, "debian");
        Path dir = work != null ? work : cache.resolve("work").resolve("bench-" + v.id());
        HarnessBench.Figures f = new HarnessBench(tc, dir).threads(threads).tests(tests).repeats(repeats)
                .progress(progress).call();
        System.out.println("ftm bench on " + tc.label() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.printf(Locale.ROOT, "  %-28s %10s %12s%n", "", "start-up", "per test");
        System.out.printf(Locale.ROOT, "  %-28s %8d ms %9.2f ms%n", "python -m pytest (subprocess)",
                f.pytestStartMillis(), f.pytestPerTestMillis());
        System.out.printf(Locale.ROOT, "  %-28s %8d ms %9.2f ms%n", "FFM harness (child JVM)",
                f.harnessStartMillis(), f.harnessPerTestMillis());
        System.out.printf(Locale.ROOT, "  CPU-bound test: 1 run %d ms; %d runs in %d Java threads at once %d ms;"
                + " speed-up %.2fx%n", f.cpuOneMillis(), f.threads(), f.threads(), f.cpuParallelMillis(), f.speedup());
        return Ftm.OK;
    }

    private int against(Variant v, ConsoleProgress progress, Path cache) throws IOException {
        if (!"pytest-run-parallel".equals(against)) {
            throw new UserInputException("--against " + against + ": the one tool ftm measures itself against is"
                    + " pytest-run-parallel; use --against pytest-run-parallel SOURCE");
        }
        if (source == null) {
            throw new UserInputException("--against pytest-run-parallel needs a SOURCE: e.g. ftm bench --against"
                    + " pytest-run-parallel pypi:markupsafe==3.0.2");
        }
        TestOptions options = TestOptions.defaults().withThreads(threads).withIterations(iterations);
        Toolchain tc = new ToolchainResolver(new Toolchains(cache, progress), python == null ? List.of() : List.of(python),
                true, progress).resolve(v);
        if (tc == null) {
            throw new UserInputException("no " + v + " toolchain: pass --python /path/to/" + v.executableName());
        }
        Path dir = work != null ? work : cache.resolve("work").resolve("bench-against-"
                + Digests.sha256(source + "\n" + v).substring(0, 12));
        AgainstReference.Figures f = new AgainstReference(cache, progress).run(source, tc, options, dir);
        AgainstReference.print(f, System.out);
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            CheckCommand.JSON.writeValue(json.toFile(), f);
        }
        return f.error().isEmpty() ? Ftm.OK : Ftm.INTERNAL;
    }

    private static void within(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new UserInputException(option + " " + value + ": give " + min + " to " + max);
        }
    }
}
