package dev.ftmatrix.service;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm run MATRIX}: every project of a matrix, results stored, then the site rendered. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a matrix file (matrices/*.yaml), store the results and render the site.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MATRIX", description = "a matrix file, e.g. matrices/demo.yaml")
    Path matrix;

    @Option(names = "--out", defaultValue = "build", description = "output directory (results/, site/). Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--python", paramLabel = "PATH", description = "an interpreter to use for its variant (repeatable)")
    List<Path> pythons = new ArrayList<>();

    @Option(names = "--no-install", description = "do not build missing toolchains; skip their variants")
    boolean noInstall;

    @Option(names = "--force", description = "redo projects whose source is unchanged since their stored result")
    boolean force;

    @Option(names = "--store", paramLabel = "URL", description = StoreLocation.HELP + ". With --store or --workers"
            + " the matrix becomes one job per (project, variant) in the store's job queue. Default: OUT/results")
    String store;

    @Option(names = "--workers", paramLabel = "N", description = "work the jobs in this process with N workers (0:"
            + " only enqueue them, for `ftm worker --store URL`). Default: 1 with --store; without --store and"
            + " --workers the matrix runs here project by project, without a queue")
    Integer workers;

    @Mixin
    TestOptionsMixin tests = new TestOptionsMixin();

    @Override
    public Integer call() throws InterruptedException {
        OutputPaths.directory("--out", out);
        MatrixFile m = MatrixFile.load(matrix);
        if (store == null && workers == null) {
            return runMatrix(m, UnaryOperator.identity());
        }
        int n = workers == null ? 1 : workers;
        if (n < 0 || n > 64) {
            throw new UserInputException("--workers " + n + ": give 0 (only enqueue) to 64");
        }
        Path home = Path.of(System.getProperty("ftm.root", ".")).toAbsolutePath().normalize();
        return new QueuedRun(this, StoreLocation.parse(store, out.resolve("results")), n)
                .call(m, DemoCommand.fixtures(home, matrix, out.resolve("demo/git")));
    }

    /**
     * Where the matrix's time went, from the results' recorded timings: in all, the projects' own builds and tests,
     * and ftm's share; empty when no result recorded any.
     */
    static String overhead(List<CheckResult> results) {
        long total = 0;
        long own = 0;
        int checks = 0;
        for (CheckResult r : results) {
            total += dev.ftmatrix.core.Timings.total(r.timings());
            for (dev.ftmatrix.core.VariantResult v : r.variants().values()) {
                if (v.timings().isEmpty()) {
                    continue;
                }
                checks++;
                total += dev.ftmatrix.core.Timings.total(v.timings());
                own += dev.ftmatrix.core.Timings.own(v.timings());
            }
        }
        if (total == 0) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "time: %d check(s), %.1f min in all as recorded; the projects' own"
                + " builds and tests %.1f min; ftm's overhead %.0f %%", checks, total / 60000.0, own / 60000.0,
                100.0 * (total - own) / total);
    }

    Integer runMatrix(MatrixFile m, UnaryOperator<ProjectSpec> resolveSource) {
        ConsoleProgress progress = new ConsoleProgress(System.err);
        Path cache = Toolchains.defaultCacheRoot();
        ToolchainResolver resolver = new ToolchainResolver(new Toolchains(cache, progress), pythons, !noInstall, progress);
        dev.ftmatrix.core.TestOptions options = tests.options();
        Pipeline pipeline = new Pipeline(cache, out.resolve("work"), resolver, options.testDeadline(), progress)
                .options(options);
        UnaryOperator<ProjectSpec> checked = spec -> {
            ProjectSpec s = resolveSource.apply(spec);
            if (s.source().startsWith("fixture:")) {
                throw new UserInputException("project " + s.name() + ": fixture sources (" + s.source() + ") run"
                        + " through `ftm demo`; in other matrices use git+URL, pypi:NAME==VERSION or path:DIR");
            }
            return s;
        };
        try (ResultStore store = new ResultStore(out.resolve("results"))) {
            List<CheckResult> results = new MatrixRunner(pipeline, store, progress, force).run(m, checked);
            return finish(m, store, results, progress);
        }
    }

    /** Renders the site of the matrix's results and says what went wrong; the command's exit code. */
    Integer finish(MatrixFile m, ResultStore store, List<CheckResult> results, dev.ftmatrix.core.Progress progress) {
        Path site = out.resolve("site");
        long errors = results.stream().flatMap(r -> r.variants().values().stream())
                .filter(v -> v.verdict() == dev.ftmatrix.core.Verdict.ERROR).count();
        String overhead = overhead(results);
        java.util.Set<dev.ftmatrix.core.Variant> variants = new java.util.TreeSet<>();
        m.projects().forEach(p -> variants.addAll(p.variants()));
        DeltaMeasurement.measureMissing(variants, Toolchains.defaultCacheRoot(), store.headerDeltas(), progress);
        new SiteCommand.Selection(m.name(), results.stream().map(CheckResult::project)
                .collect(java.util.stream.Collectors.toSet()))   // with each project's history
                .render(store, site);
        System.out.println("site: " + site.toAbsolutePath().resolve("index.html"));
        if (!overhead.isEmpty()) {
            System.out.println(overhead);
        }
        if (errors > 0) {
            System.out.println(errors + " (project, variant) check(s) not done: ftm failed (verdict error); rerun to retry");
            return Ftm.INTERNAL;
        }
        return Ftm.OK;
    }
}
