package dev.ftmatrix.service;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ftm worker}: works the check jobs of a store, from any machine that reaches its database. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Work the check jobs that `ftm run MATRIX --store URL --workers 0` (or `ftm serve --watch`)"
                + " and `ftm wheels --matrix FILE --store URL --workers 0` enqueued, storing each result as it"
                + " finishes. Run one per machine, all on the same --store.",
                "A worker that dies (kill -9, a lost machine) is taken for dead after 4 poll intervals without a"
                        + " heartbeat; the jobs it was working on are retried by another worker."})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "URL", description = StoreLocation.HELP + ". Default: build/results")
    String store;

    @Option(names = "--out", defaultValue = "build", description = "where jobs build (DIR/work/). Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "jobs worked at once in this process. Default: ${DEFAULT-VALUE}")
    int workers;

    @Option(names = "--until-idle", description = "stop once no job is waiting or being worked on")
    boolean untilIdle;

    @Option(names = "--poll", defaultValue = "15", paramLabel = "SECONDS",
            description = "seconds between looks at the queue, 5 to 300; a dead worker is found after 4 of them."
                    + " Default: ${DEFAULT-VALUE}")
    long pollSeconds;

    @Mixin
    ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

    @Mixin
    TestOptionsMixin tests = new TestOptionsMixin();

    @Override
    public Integer call() throws InterruptedException {
        OutputPaths.directory("--out", out);
        if (workers < 1 || workers > 64) {
            throw new UserInputException("--workers " + workers + ": give 1 to 64 jobs at once");
        }
        if (pollSeconds < 5 || pollSeconds > 300) {
            throw new UserInputException("--poll " + pollSeconds + ": give 5 to 300 seconds (JobRunr polls no faster)");
        }
        StoreLocation at = StoreLocation.parse(store, out.resolve("results"));
        Progress progress = new ConsoleProgress(System.err);
        try (ResultStore results = ResultStore.open(at, false); WheelStore wheels = WheelStore.open(at);
             JobEngine engine = JobEngine.open(at)) {
            ToolchainChoice choice = toolchains.choice();
            engine.work(List.of(handler(results, out, choice, tests.options(), progress),
                    new WheelsJobHandler(wheels, choice, progress)), workers,
                    Duration.ofSeconds(pollSeconds));
            progress.report("worker " + ProcessHandle.current().pid() + ": working the jobs of " + at.describe()
                    + " with " + workers + " worker(s)" + (untilIdle ? " until none is left" : "; Ctrl-C stops"));
            if (untilIdle) {
                engine.awaitIdle(Duration.ofSeconds(1));
            } else {
                new CountDownLatch(1).await();
            }
            JobEngine.JobCounts c = engine.counts();
            System.out.println("jobs: " + c.succeeded() + " succeeded, " + c.failed() + " failed");
            return c.failed() > 0 ? Ftm.INTERNAL : Ftm.OK;
        }
    }

    /** What one process needs to work check jobs: toolchains, a pipeline per job, the store. */
    static CheckJobHandler handler(ResultStore store, Path out, ToolchainChoice toolchains, TestOptions options,
                                   Progress progress) {
        Path cache = Toolchains.defaultCacheRoot();
        ToolchainResolver resolver = toolchains.resolver(cache, progress);
        return new CheckJobHandler(work -> new Pipeline(cache, work, resolver, options.testDeadline(), progress)
                .options(options), resolver, store, out.resolve("work"), progress);
    }
}
