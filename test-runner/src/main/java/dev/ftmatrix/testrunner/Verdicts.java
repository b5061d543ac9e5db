package dev.ftmatrix.testrunner;

import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.Verdict;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides the verdict of one (project, variant), blaming free-threading only for what the baseline (the same
 * suite with the GIL) does not also show.
 */
public final class Verdicts {
    /** A verdict with the sentence that explains it. */
    public record Decision(Verdict verdict, String reason) {
    }

    private Verdicts() {
    }

    /**
     * @param baseline the same project's run with the GIL (the GIL build of the same version, or the free-threaded
     *     build with {@code PYTHON_GIL=1}); null when there is none, and then every failure counts
     */
    public static Decision decide(Variant variant, VariantRun.Outcome run, VariantRun.Outcome baseline) {
        if (!run.build().ok()) {
            return new Decision(Verdict.BUILD_FAILED, run.build().reason());
        }
        if (!variant.freeThreaded()) {
            return decideBaseline(run);
        }
        if (!run.testError().isEmpty() && run.tests().isEmpty()) {
            boolean baselineRan = baseline != null && baseline.testError().isEmpty();
            return baselineRan ? new Decision(Verdict.FT_FAILURES, "tests do not run without the GIL: " + firstLine(run.testError()))
                    : new Decision(Verdict.BASELINE_FAILING, "tests do not run, with the GIL either: " + firstLine(run.testError()));
        }
        Map<String, TestOutcome> base = baseline == null ? Map.of()
                : baseline.tests().stream().collect(Collectors.toMap(TestResult::id, TestResult::outcome, (a, b) -> b));
        List<TestResult> bad = run.tests().stream().filter(t -> t.outcome().isBad()).toList();
        List<TestResult> ftOnly = bad.stream()
                .filter(t -> !base.getOrDefault(t.id(), TestOutcome.PASS).isBad()).toList();
        Function<TestOutcome, List<String>> ids = o -> ftOnly.stream().filter(t -> t.outcome() == o).map(TestResult::id).toList();
        if (!ids.apply(TestOutcome.CRASH).isEmpty()) {
            return new Decision(Verdict.CRASH, "crashed without the GIL: " + String.join(", ", ids.apply(TestOutcome.CRASH)));
        }
        if (!ids.apply(TestOutcome.HANG).isEmpty()) {
            return new Decision(Verdict.HANG, "hung without the GIL: " + String.join(", ", ids.apply(TestOutcome.HANG)));
        }
        if (!ftOnly.isEmpty()) {
            return new Decision(Verdict.FT_FAILURES, ftOnly.size() + " test(s) fail only without the GIL: "
                    + ftOnly.stream().map(TestResult::id).limit(5).collect(Collectors.joining(", ")));
        }
        if (!bad.isEmpty()) {
            return new Decision(Verdict.BASELINE_FAILING, bad.size() + " test(s) fail with the GIL too: "
                    + bad.stream().map(TestResult::id).limit(5).collect(Collectors.joining(", ")));
        }
        if (Boolean.TRUE.equals(run.gilEnabledAfterImport())) {
            String who = run.gilReenabledBy().isEmpty() ? "an extension module" : run.gilReenabledBy();
            return new Decision(Verdict.WORKS_UNDECLARED, "tests pass with PYTHON_GIL=0, but importing " + who
                    + " re-enables the GIL: it does not declare free-threading support (Py_mod_gil)");
        }
        return new Decision(Verdict.READY, run.tests().size() + " test(s) pass with PYTHON_GIL=0 and the GIL stays"
                + " disabled after import");
    }

    private static Decision decideBaseline(VariantRun.Outcome run) {
        if (!run.testError().isEmpty() && run.tests().isEmpty()) {
            return new Decision(Verdict.BASELINE_FAILING, "tests do not run: " + firstLine(run.testError()));
        }
        List<TestResult> bad = run.tests().stream().filter(t -> t.outcome().isBad()).toList();
        if (!bad.isEmpty()) {
            return new Decision(Verdict.BASELINE_FAILING, bad.size() + " test(s) fail with the GIL: "
                    + bad.stream().map(TestResult::id).limit(5).collect(Collectors.joining(", ")));
        }
        return new Decision(Verdict.READY, run.tests().size() + " test(s) pass");
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
