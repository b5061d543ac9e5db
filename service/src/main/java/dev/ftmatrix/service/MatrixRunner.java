package dev.ftmatrix.service;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Runs every project of a matrix through the pipeline and stores each result as it finishes. A project whose
 * stored result has the same source fingerprint and variants is not redone, so an interrupted run resumes.
 */
final class MatrixRunner {
    private final Pipeline pipeline;
    private final ResultStore store;
    private final Progress progress;
    private final boolean force;

    MatrixRunner(Pipeline pipeline, ResultStore store, Progress progress, boolean force) {
        this.pipeline = pipeline;
        this.store = store;
        this.progress = progress;
        this.force = force;
    }

    /** Runs {@code matrix}; {@code resolveSource} turns matrix sources (e.g. {@code fixture:x}) into fetchable ones. */
    List<CheckResult> run(MatrixFile matrix, UnaryOperator<ProjectSpec> resolveSource) {
        List<CheckResult> out = new ArrayList<>();
        int i = 0;
        for (ProjectSpec raw : matrix.projects()) {
            i++;
            progress.projectStarted(i, matrix.projects().size(), raw.name());
            ProjectSpec spec = raw;
            CheckResult r;
            try {
                spec = resolveSource.apply(raw);
                ProjectSpec current = spec;
                r = pipeline.check(spec, fingerprint -> !force && store.latest(current.name())
                        .filter(old -> old.fingerprint().equals(fingerprint) && old.stages().equals(Pipeline.STAGES)
                                && old.variants().keySet().equals(ids(current.variants()))
                                // ftm's own failures are retried, never kept
                                && old.variants().values().stream().noneMatch(v -> v.verdict() == Verdict.ERROR))
                        .isPresent());
                if (r == null) {
                    r = store.latest(spec.name()).orElseThrow();
                    progress.report(spec.name() + ": unchanged since " + r.finishedAt() + ", kept");
                    out.add(r);
                    continue;
                }
            } catch (UserInputException e) {
                progress.report(spec.name() + ": " + e.getMessage());
                r = fetchFailed(spec, e);
            }
            if (Interrupts.interrupted()) {
                return out;   // a result cut short by Ctrl-C is no result
            }
            store.put(r);
            out.add(r);
        }
        return out;
    }

    /** The result of a project whose source could not be fetched: ftm failed (verdict error) on every variant. */
    static CheckResult fetchFailed(ProjectSpec spec, UserInputException e) {
        Map<Variant, VariantResult> skipped = new LinkedHashMap<>();
        for (Variant v : spec.variants()) {
            VariantResult s = VariantResult.skipped(v, "not checked: ftm failed at fetch: " + e.getMessage());
            skipped.put(v, new VariantResult(v, "", s.build(), List.of(), null, "", List.of(), Verdict.ERROR,
                    s.verdictReason(), "", List.of()));
        }
        return new CheckResult(CheckResult.SCHEMA, spec.name(), spec.source(), "", null, null, List.of(),
                CheckResult.byId(skipped), Instant.now().toString());
    }

    private static Set<String> ids(List<Variant> vs) {
        Set<String> s = new TreeSet<>();
        vs.forEach(v -> s.add(v.id()));
        return s;
    }
}
