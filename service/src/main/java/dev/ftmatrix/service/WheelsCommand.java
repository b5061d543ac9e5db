package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.builder.ModuleImport;
import dev.ftmatrix.wheels.Release;
import dev.ftmatrix.wheels.WheelCheck;
import dev.ftmatrix.wheels.WheelReport;
import dev.ftmatrix.wheels.WheelResult;
import dev.ftmatrix.wheels.WheelVerdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm wheels SOURCE...}: a release's published wheels per variant, imported module by module; no build. */
@Command(name = "wheels", mixinStandardHelpOptions = true,
        description = {"Check the published wheels of releases on the index, no build: per variant, the wheel an install"
                + " picks is installed with its dependencies into a fresh venv, every extension module is imported in its"
                + " own interpreter in the sandbox with PYTHON_GIL unset, and its binaries are checked against its tag.",
                "Verdicts: wheel-ready, wheel-reenables-gil (every such module named), wheel-mistagged,"
                        + " wheel-import-fails, no-wheel, and error (ftm failed: nothing claimed)."})
final class WheelsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "pypi:NAME (the latest release) or pypi:NAME==VERSION")
    List<String> sources = new ArrayList<>();

    @Option(names = "--matrix", paramLabel = "FILE", description = "a file of sources, one a line (# comments)")
    Path matrix;

    @Option(names = "--variants", defaultValue = "cp313t", description = "Default: ${DEFAULT-VALUE}")
    String variants;

    @Mixin
    ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

    @Option(names = "--jobs", defaultValue = "4", description = "releases checked at once (1 to 32). Default: ${DEFAULT-VALUE}")
    int jobs;

    @Option(names = "--json", paramLabel = "FILE", description = "write the result as JSON (schema 1)")
    Path json;

    @Option(names = "--store", paramLabel = "URL", description = "store each release's result as it finishes (the site's"
            + " published-wheels view): " + StoreLocation.HELP)
    String store;

    @Option(names = "--workers", paramLabel = "N", description = "with --store: one job per release in the store's job"
            + " queue (the jobs of `ftm run --store`), worked here by N workers (1 to 64), or only enqueued with 0"
            + " for `ftm worker`; a release stored already for this toolchain and stage is not checked again")
    Integer workers;

    @Option(names = "--fail-on", defaultValue = "wheel-reenables-gil,wheel-mistagged,wheel-import-fails",
            description = "verdicts that make the exit code 1. Default: ${DEFAULT-VALUE}")
    String failOn;

    @Override
    public Integer call() throws Exception {
        OutputPaths.file("--json", json);
        if (jobs < 1 || jobs > 32) {
            throw new UserInputException("--jobs " + jobs + ": give 1 to 32");
        }
        if (workers != null && store == null) {
            throw new UserInputException("--workers " + workers + ": jobs live in a store; give --store URL|DIR too");
        }
        if (workers != null && (workers < 0 || workers > 64)) {
            throw new UserInputException("--workers " + workers + ": give 1 to 64 jobs at once, or 0 to only enqueue");
        }
        List<Release> releases = releases();
        List<Variant> vs = Variants.parseList("--variants", variants);
        Set<WheelVerdict> failing = parseVerdicts("--fail-on", failOn);
        ConsoleProgress progress = new ConsoleProgress(System.err);
        WheelCheck check = WheelChecks.of(vs, toolchains.choice(), progress);
        long t0 = System.nanoTime();
        List<WheelReport> reports;
        if (workers != null) {
            reports = queued(check, releases, vs, progress);
            if (reports == null) {
                return Ftm.OK;
            }
        } else if (store == null) {
            reports = run(check, releases, r -> { });
        } else {
            try (WheelStore wheels = WheelStore.open(StoreLocation.parse(store, null))) {
                reports = run(check, releases, r -> wheels.put(r, check::toolchain));
            }
        }
        if (Interrupts.interrupted()) {
            return 130;
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            Object doc = reports.size() == 1 && matrix == null ? reports.getFirst()
                    : Map.of("schema", WheelReport.SCHEMA, "releases", reports);
            CheckCommand.JSON.writeValue(json.toFile(), doc);
        }
        boolean failed = false;
        boolean ftmFailed = false;
        Map<WheelVerdict, Integer> counts = new LinkedHashMap<>();
        for (WheelReport r : reports) {
            System.out.println(r.project() + " " + r.version());
            for (WheelResult w : r.variants().values()) {
                boolean bad = failing.contains(w.verdict());
                failed |= bad;
                ftmFailed |= w.verdict() == WheelVerdict.ERROR;
                counts.merge(w.verdict(), 1, Integer::sum);
                print(w, bad);
            }
        }
        if (reports.size() > 1) {
            System.out.println(reports.size() + " releases in " + seconds / 60 + " min " + seconds % 60 + " s: "
                    + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        }
        return ftmFailed ? Ftm.INTERNAL : failed ? Ftm.CHECK_FAILED : Ftm.OK;
    }

    static void print(WheelResult w, boolean bad) {
        System.out.printf("  %-7s %-19s %s%s%n", w.variant(), w.verdict(), w.reason(), bad ? "  [fails the check]"
                : w.verdict() == WheelVerdict.ERROR ? "  [not checked: ftm failed; rerun]" : "");
        if (w.wheel() != null) {
            System.out.println("          " + w.wheel().filename() + (w.dependencies().installed().isEmpty() ? ""
                    : "  (with " + String.join(" ", w.dependencies().installed()) + ")"));
        }
        for (ModuleImport m : w.modules()) {
            String state = !m.imported() ? "does not import: " + m.error().lines().reduce((a, b) -> b).orElse("")
                    + (w.failsOnGilBuildToo().contains(m.module()) ? " (nor from the GIL build's wheel: not counted)" : "")
                    : w.gilReenabledBy().contains(m.module()) ? "re-enables the GIL"
                    : Boolean.TRUE.equals(m.gilEnabledAfterImport()) && w.variant().endsWith("t") ? "GIL on (by "
                    + String.join(", ", m.needsGil()) + ")" : "ok";
            System.out.println("          " + m.module() + "  " + state);
        }
    }

    private List<Release> releases() throws IOException {
        List<String> all = new ArrayList<>(sources);
        if (matrix != null) {
            if (!Files.isRegularFile(matrix)) {
                throw new UserInputException("--matrix " + matrix + ": no such file; give a file of pypi:NAME lines");
            }
            for (String line : Files.readAllLines(matrix)) {
                String s = line.replaceFirst("#.*$", "").strip();
                if (!s.isEmpty()) {
                    all.add(s.startsWith("pypi:") ? s : "pypi:" + s);
                }
            }
        }
        if (all.isEmpty()) {
            throw new UserInputException("ftm wheels: name a release (pypi:NAME or pypi:NAME==VERSION) or --matrix FILE");
        }
        return all.stream().map(Release::parse).distinct().toList();
    }

    /** Checks {@code releases}, {@code jobs} at once; each report goes to {@code done} as it finishes. */
    private List<WheelReport> run(WheelCheck check, List<Release> releases, Consumer<WheelReport> done)
            throws InterruptedException {
        if (releases.size() == 1) {
            WheelReport r = check.call(releases.getFirst());
            done.accept(r);
            return List.of(r);
        }
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<WheelReport>> futures = releases.stream().map(r -> pool.submit(() -> {
                WheelReport report = check.call(r);
                done.accept(report);
                return report;
            })).toList();
            List<WheelReport> out = new ArrayList<>();
            for (Future<WheelReport> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One {@link WheelsJob} per release (its version resolved now) in the store's queue, worked here until none is
     * left; the reports are then read back from the store. Null when the jobs were only enqueued.
     */
    private List<WheelReport> queued(WheelCheck check, List<Release> releases, List<Variant> vs,
                                     ConsoleProgress progress) throws InterruptedException {
        StoreLocation at = StoreLocation.parse(store, null);
        List<Release> exact = releases.stream().map(check::resolve).distinct().toList();
        List<WheelsJob> queue = exact.stream().map(r -> new WheelsJob(r.toString(), vs.stream().map(Variant::id)
                .toList())).toList();
        try (ResultStore results = ResultStore.open(at, false); WheelStore wheels = WheelStore.open(at);
             JobEngine engine = JobEngine.open(at)) {
            engine.enqueue(queue);
            progress.report("enqueued " + queue.size() + " wheel job(s) in " + at.describe());
            if (workers == 0) {
                System.out.println("enqueued " + queue.size() + " job(s); work them with: ftm worker --store "
                        + at.describe());
                return null;
            }
            // a worker here takes whatever the queue holds: build checks too, as ftm worker does
            ToolchainChoice choice = toolchains.choice();
            engine.work(List.of(new WheelsJobHandler(wheels, choice, progress),
                    WorkerCommand.handler(results, Path.of("build"), choice, new TestOptionsMixin().options(),
                            progress)), workers, JobEngine.DEFAULT_POLL);
            engine.awaitIdle(Duration.ofSeconds(1));
            Map<String, List<WheelStore.Row>> all = wheels.all();
            List<WheelReport> out = new ArrayList<>();
            for (Release r : exact) {
                Map<String, WheelResult> byVariant = new TreeMap<>();
                all.getOrDefault(r.name(), List.of()).stream().filter(row -> row.version().equals(r.version()))
                        .forEach(row -> byVariant.put(row.variant(), row.result()));   // oldest first: newest wins
                if (byVariant.isEmpty()) {
                    throw new IllegalStateException("the job of " + r + " ended without a stored result; see `ftm"
                            + " status --store " + at.describe() + "` and the log");
                }
                out.add(new WheelReport(WheelReport.SCHEMA, r.name(), r.version(), r.toString(), byVariant));
            }
            return out;
        }
    }

    static Set<WheelVerdict> parseVerdicts(String option, String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(w -> {
            try {
                return WheelVerdict.of(w);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(option + ": " + e.getMessage());
            }
        }).collect(Collectors.toSet());
    }
}
