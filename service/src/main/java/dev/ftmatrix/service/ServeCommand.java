package dev.ftmatrix.service;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.dashboard.LiveProgress;
import dev.ftmatrix.dashboard.SiteServer;
import dev.ftmatrix.toolchain.Toolchains;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ftm serve}: serves the site and keeps it current. It watches the result store, so results that any process
 * stores ({@code ftm run} or {@code ftm demo} in another terminal) show up as they finish; with {@code --run MATRIX}
 * it runs the matrix itself and {@code /live/} follows its progress line by line; with {@code --watch MATRIX} it
 * follows the package index and enqueues the checks of new releases ({@link IndexWatch}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the site on http://127.0.0.1:PORT/ and follow a run's progress at /live/.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--results", defaultValue = "build/results", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}")
    Path results;

    @Option(names = "--site", defaultValue = "build/site", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}")
    Path site;

    @Option(names = "--port", defaultValue = "8000", description = "0 picks a free port. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--matrix", paramLabel = "FILE", description = "show only this matrix file's projects, under its name")
    Path matrix;

    @Option(names = "--run", paramLabel = "MATRIX", description = "run this matrix file now (as `ftm run` does)")
    Path run;

    @Option(names = "--poll", defaultValue = "2", description = "seconds between looks at the store. Default: ${DEFAULT-VALUE}")
    long pollSeconds;

    @Option(names = "--watch", paramLabel = "MATRIX", description = "follow the package index for new releases of this"
            + " matrix's projects whose source is pypi:NAME (no ==VERSION) and enqueue their checks in the store's job"
            + " queue (worked by `ftm worker --store URL`, or here with --workers); the site shows the matrix")
    Path watch;

    @Option(names = "--watch-every", defaultValue = "300", paramLabel = "SECONDS", description = "with --watch:"
            + " seconds between two looks at the index, 10 to 86400 (an unchanged project costs one conditional"
            + " request). Default: ${DEFAULT-VALUE}")
    long watchEvery;

    @Option(names = "--store", paramLabel = "URL", description = StoreLocation.HELP + " (instead of --results)")
    String store;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "N", description = "with --watch: work the jobs in"
            + " this process too, with N workers (0: leave them to `ftm worker`). Default: ${DEFAULT-VALUE}")
    int workers;

    @Mixin
    ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

    @Mixin
    TestOptionsMixin tests = new TestOptionsMixin();

    final LiveProgress live = new LiveProgress();
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        OutputPaths.directory("--site", site);
        OutputPaths.directory("--results", results);
        if (port < 0 || port > 65535) {
            throw new UserInputException("--port " + port + ": give a port from 0 to 65535");
        }
        if (run != null && matrix == null) {
            matrix = run;
        }
        if (watch != null && matrix == null) {
            matrix = watch;
        }
        StoreLocation at = StoreLocation.parse(store, results);
        IndexWatch.checkOptions(watch, run, at, watchEvery, workers);
        SiteCommand.Selection selection = SiteCommand.Selection.of(matrix, null);
        if (!at.postgres() && (run != null || watch != null || !Files.exists(results.resolve(ResultStore.FILE)))) {
            // a store for the run to append to, or for `ftm run` in another terminal; serving itself only reads
            new ResultStore(at.sqliteDir()).close();
        }
        Progress console = new ConsoleProgress(System.err);
        try (ResultStore store = ResultStore.open(at, true);
             IndexWatch index = watch == null ? null : IndexWatch.open(MatrixFile.load(watch), at, store, line -> {
                 console.report(line);
                 live.report(line);
             });
             SiteServer server = SiteServer.start(site, new InetSocketAddress(bind, port), live)) {
            if (index != null) {
                if (workers > 0) {
                    index.work(workers, s -> WorkerCommand.handler(s, results.toAbsolutePath().getParent(),
                            toolchains.choice(), tests.options(), console));
                }
                index.start(Duration.ofSeconds(watchEvery));
            }
            selection.render(store, site);
            System.out.println("serving " + site.toAbsolutePath() + " at " + server.uri() + " (live run: " + server.uri()
                    + "live/); Ctrl-C stops");
            Thread watcher = Thread.ofVirtual().name("ftm-serve-watch").start(() -> watch(store, selection));
            if (run != null) {
                Thread.ofPlatform().name("ftm-serve-run").daemon().start(() -> runMatrix(MatrixFile.load(run)));
            }
            stop.await();
            watcher.interrupt();
        }
        return Ftm.OK;
    }

    /** Makes {@link #call()} return (tests; Ctrl-C ends the JVM instead). */
    void stop() {
        stop.countDown();
    }

    /** Re-renders the site whenever the store holds more results than last time, and says which ones arrived. */
    private void watch(ResultStore store, SiteCommand.Selection selection) {
        long seen = store.lastId();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(Duration.ofSeconds(Math.max(1, pollSeconds)));
            } catch (InterruptedException e) {
                return;
            }
            long now = store.lastId();
            if (now == seen) {
                continue;
            }
            for (CheckResult r : store.since(seen)) {
                live.report("stored " + r.project() + ": " + r.variants().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue().verdict().word()).collect(Collectors.joining(", ")));
            }
            seen = now;
            try {
                selection.render(store, site);
            } catch (RuntimeException e) {
                LOG.error("re-rendering the site failed", e);
                live.report("re-rendering the site failed: " + e.getMessage() + " (details in the log)");
            }
        }
    }

    private void runMatrix(MatrixFile m) {
        live.started(m.name(), m.projects().size());
        Progress both = Progress.both(new ConsoleProgress(System.err), live);
        Path cache = Toolchains.defaultCacheRoot();
        try (ResultStore store = new ResultStore(results)) {
            ToolchainResolver resolver = toolchains.choice().resolver(cache, both);
            TestOptions options = tests.options();
            Pipeline pipeline = new Pipeline(cache, results.resolveSibling("work"), resolver, options.testDeadline(), both)
                    .options(options);
            new MatrixRunner(pipeline, store, both, false).run(m, UnaryOperator.identity());
            live.done(m.projects().size());
            // not running any more before the line says so: a reader that sees "finished" sees running: false
            live.stopped();
            both.report("run of " + m.name() + " finished");
        } catch (RuntimeException e) {
            LOG.error("the run of {} failed", m.name(), e);
            live.report("the run failed: " + e.getMessage() + " (details in the log)");
        } finally {
            live.stopped();
        }
    }
}
