package dev.ftmatrix.service;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ftm serve --watch MATRIX}: follows the package index for new releases of the matrix's projects that track
 * it (source {@code pypi:NAME}, no version) and enqueues the checks of a release the store has no result of, one job
 * per variant under a key of its own, so a release seen again while its jobs wait is not enqueued twice. Each look
 * is one conditional request per project ({@link IndexPages}). The jobs are worked by {@code ftm worker} processes
 * on the same store, or here ({@link #work}); the site follows the store as {@code ftm serve} does.
 */
final class IndexWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexWatch.class);
    /** A source that follows the index: {@code pypi:NAME} without {@code ==VERSION}. */
    private static final Pattern TRACKING = Pattern.compile("pypi:([A-Za-z0-9][A-Za-z0-9._-]*)");

    /** What one look at a project found. */
    enum Kind { UNCHANGED, CURRENT, NEW_RELEASE, NO_RELEASE, UNREACHABLE }

    /** One project's look: what was found, in words, and the jobs it enqueued. */
    record Polled(String project, Kind kind, String detail, List<CheckJob> enqueued) {
        Polled {
            enqueued = List.copyOf(enqueued);
        }
    }

    private final String matrix;
    private final List<ProjectSpec> tracked;
    private final StoreLocation at;
    private final ResultStore store;
    private final JobEngine engine;
    private final IndexPages index;
    private final Progress progress;
    private final Map<String, IndexPages.Validators> seen = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread loop;
    private ResultStore writable;
    private final Thread onExit = new Thread(this::close, "ftm-index-watch-stop");

    IndexWatch(MatrixFile m, StoreLocation at, ResultStore store, JobEngine engine, IndexPages index,
               Progress progress) {
        this.matrix = m.name();
        this.tracked = m.projects().stream().filter(p -> TRACKING.matcher(p.source()).matches()).toList();
        if (tracked.isEmpty()) {
            throw new UserInputException("matrix " + m.name() + " has no project that follows the index: write source:"
                    + " pypi:NAME (without ==VERSION) for each project whose new releases --watch should check");
        }
        this.at = at;
        this.store = store;
        this.engine = engine;
        this.index = index;
        this.progress = progress;
    }

    /** The watch of {@code m}'s tracking projects on PyPI, enqueueing into the queue of the store at {@code at}. */
    static IndexWatch open(MatrixFile m, StoreLocation at, ResultStore store, Progress progress) {
        JobEngine engine = JobEngine.open(at);
        try {
            return new IndexWatch(m, at, store, engine, new IndexPages(IndexPages.PYPI), progress);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Refuses {@code ftm serve}'s watch options that do not go together, before anything starts. */
    static void checkOptions(Path watch, Path run, StoreLocation at, long everySeconds,
                             int workers) {
        if (watch == null) {
            if (workers != 0) {
                throw new UserInputException("--workers " + workers + " works the jobs of --watch: add --watch MATRIX"
                        + " or drop --workers");
            }
            if (at.postgres() && run != null) {
                throw new UserInputException("--run works on the embedded store; for a cluster enqueue with `ftm run"
                        + " MATRIX --store URL --workers 0` and serve with --store URL");
            }
            return;
        }
        if (run != null) {
            throw new UserInputException("--watch and --run together: give one (--watch follows the index, --run"
                    + " runs a matrix once)");
        }
        if (everySeconds < 10 || everySeconds > 86_400) {
            throw new UserInputException("--watch-every " + everySeconds + ": give 10 to 86400 seconds");
        }
        if (workers < 0 || workers > 64) {
            throw new UserInputException("--workers " + workers + ": give 0 (leave the jobs to `ftm worker`) to 64");
        }
    }

    /** The projects followed: those whose source is {@code pypi:NAME}. */
    List<ProjectSpec> tracked() {
        return tracked;
    }

    /** Works the queue's jobs in this process too, with {@code workers} threads (the store opened to append). */
    void work(int workers, Function<ResultStore, CheckJobHandler> handler) {
        writable = ResultStore.open(at, false);
        engine.work(handler.apply(writable), workers, JobEngine.DEFAULT_POLL);
    }

    /**
     * Looks at every tracked project once now (a project the index does not have is the matrix's error, exit 2),
     * then again every {@code every} on a thread of its own until {@link #close()}.
     */
    void start(Duration every) throws InterruptedException {
        List<Polled> first = poll();
        first.stream().filter(p -> p.kind() == Kind.UNREACHABLE && p.detail().startsWith("not on the index"))
                .findFirst().ifPresent(p -> {
                    throw new UserInputException("matrix " + matrix + ": project " + p.project() + " (pypi:"
                            + p.project() + ") is " + p.detail() + "; fix its name or pin it with ==VERSION");
                });
        // Ctrl-C or SIGTERM ends the JVM: the look under way finishes its project, nothing is cut mid-enqueue
        Runtime.getRuntime().addShutdownHook(onExit);
        loop = Thread.ofPlatform().name("ftm-index-watch").daemon().start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(every);
                    poll();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("a look at the index failed", e);
                    progress.report("index: a look failed: " + e.getMessage() + " (details in the log); trying again in "
                            + every.toSeconds() + " s");
                }
            }
        });
    }

    /** One look at every tracked project; says what it found in one line, and each new release in one of its own. */
    List<Polled> poll() throws InterruptedException {
        long t = System.nanoTime();
        List<Polled> all = new ArrayList<>();
        for (ProjectSpec spec : tracked) {
            if (closed) {
                break;
            }
            Polled p = poll(spec);
            all.add(p);
            if (p.kind() != Kind.UNCHANGED && p.kind() != Kind.CURRENT) {
                progress.report(p.project() + ": " + p.detail());
            }
        }
        Map<Kind, Long> by = new EnumMap<>(Kind.class);
        all.forEach(p -> by.merge(p.kind(), 1L, Long::sum));
        progress.report(String.format(Locale.ROOT, "index: looked at %d project(s) in %.1f s: %d unchanged, %d"
                + " current, %d new release(s), %d job(s) enqueued%s", all.size(), (System.nanoTime() - t) / 1e9,
                by.getOrDefault(Kind.UNCHANGED, 0L), by.getOrDefault(Kind.CURRENT, 0L),
                by.getOrDefault(Kind.NEW_RELEASE, 0L), all.stream().mapToLong(p -> p.enqueued().size()).sum(),
                by.containsKey(Kind.UNREACHABLE) ? ", " + by.get(Kind.UNREACHABLE) + " not answered" : ""));
        return all;
    }

    /** One look at {@code spec}'s page; enqueues the checks of its newest release's variants not stored yet. */
    Polled poll(ProjectSpec spec) throws InterruptedException {
        String name = TRACKING.matcher(spec.source()).replaceFirst("$1");
        IndexPages.Answer a;
        try {
            a = index.ask(name, seen.getOrDefault(spec.name(), IndexPages.Validators.NONE));
        } catch (IndexPages.NotOnIndex e) {
            return new Polled(spec.name(), Kind.UNREACHABLE, "not on the index " + index.index() + " (404)", List.of());
        } catch (IOException e) {
            LOG.warn("cannot ask the index about {}", name, e);
            return new Polled(spec.name(), Kind.UNREACHABLE, "the index did not answer (" + e.getMessage()
                    + "); asking again next time", List.of());
        }
        if (!a.changed()) {
            seen.put(spec.name(), a.validators());
            return new Polled(spec.name(), Kind.UNCHANGED, a.how(), List.of());
        }
        if (a.latest().isEmpty()) {
            seen.put(spec.name(), a.validators());
            return new Polled(spec.name(), Kind.NO_RELEASE, "the index has no final release with an sdist of " + name
                    + "; nothing to check", List.of());
        }
        IndexPages.Release r = a.latest().get();
        Set<String> stored = store.storedVariants(spec.name(), r.fingerprint(), Pipeline.STAGES);
        List<Variant> missing = spec.variants().stream().filter(v -> !stored.contains(v.id())).toList();
        if (missing.isEmpty()) {
            seen.put(spec.name(), a.validators());
            return new Polled(spec.name(), Kind.CURRENT, r.version() + " is checked already", List.of());
        }
        List<CheckJob> jobs = CheckJob.of(new ProjectSpec(spec.name(), "pypi:" + name + "==" + r.version(), spec.ref(),
                spec.subdirectory(), missing, spec.env(), spec.testCommand(), spec.threadUnsafe()));
        if (Interrupts.interrupted() || closed) {
            return new Polled(spec.name(), Kind.UNREACHABLE, "stopping; not enqueued", List.of());
        }
        engine.enqueueOnce(jobs, r.fingerprint());
        // remembered only once enqueued: a failed enqueue is tried again on the next look
        seen.put(spec.name(), a.validators());
        return new Polled(spec.name(), Kind.NEW_RELEASE, "release " + r.version() + " (" + r.filename()
                + ") has no result yet; enqueued " + jobs.size() + " job(s): " + String.join(", ",
                missing.stream().map(Variant::id).toList()), jobs);
    }

    /** Stops looking (a look under way finishes its project) and working; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop != null) {
            if (Thread.currentThread() != onExit) {
                Runtime.getRuntime().removeShutdownHook(onExit);
            }
            loop.interrupt();
            progress.report("index: stopped watching");
            try {
                loop.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            engine.close();
        } finally {
            index.close();
            if (writable != null) {
                writable.close();
            }
        }
    }
}
