package dev.ftmatrix.service;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.Timings;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A matrix run here, project by project, as {@code ftm run} and {@code ftm demo} do it: each result stored as it
 * finishes, then the header delta of the toolchains used (once per pair), then the site.
 *
 * @param out the output directory ({@code results/}, {@code work/}, {@code site/})
 * @param force redo projects whose source is unchanged since their stored result
 * @param toolchains which interpreters to use
 * @param tests how tests run
 */
record MatrixRun(Path out, boolean force, ToolchainChoice toolchains, TestOptions tests) {
    /** Runs {@code m}, its sources passed through {@code resolveSource} first; the command's exit code. */
    int call(MatrixFile m, UnaryOperator<ProjectSpec> resolveSource) {
        ConsoleProgress progress = new ConsoleProgress(System.err);
        Path cache = Toolchains.defaultCacheRoot();
        ToolchainResolver resolver = toolchains.resolver(cache, progress);
        Pipeline pipeline = new Pipeline(cache, out.resolve("work"), resolver, tests.testDeadline(), progress)
                .options(tests);
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

    /**
     * Measures the header delta of the toolchain pairs the matrix used (once per pair), renders the site of the
     * matrix's results and says what went wrong; the command's exit code.
     */
    int finish(MatrixFile m, ResultStore store, List<CheckResult> results, Progress progress) {
        Path site = out.resolve("site");
        long errors = results.stream().flatMap(r -> r.variants().values().stream())
                .filter(v -> v.verdict() == Verdict.ERROR).count();
        String overhead = overhead(results);
        Set<Variant> variants = new TreeSet<>();
        m.projects().forEach(p -> variants.addAll(p.variants()));
        DeltaMeasurement.measureMissing(variants, Toolchains.defaultCacheRoot(), store.headerDeltas(), progress);
        new SiteCommand.Selection(m.name(), results.stream().map(CheckResult::project)
                .collect(Collectors.toSet()))   // with each project's history
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

    /**
     * Where the matrix's time went, from the results' recorded timings: in all, the projects' own builds and tests,
     * and ftm's share; empty when no result recorded any.
     */
    static String overhead(List<CheckResult> results) {
        long total = 0;
        long own = 0;
        int checks = 0;
        for (CheckResult r : results) {
            total += Timings.total(r.timings());
            for (VariantResult v : r.variants().values()) {
                if (v.timings().isEmpty()) {
                    continue;
                }
                checks++;
                total += Timings.total(v.timings());
                own += Timings.own(v.timings());
            }
        }
        if (total == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "time: %d check(s), %.1f min in all as recorded; the projects' own"
                + " builds and tests %.1f min; ftm's overhead %.0f %%", checks, total / 60000.0, own / 60000.0,
                100.0 * (total - own) / total);
    }
}
