package dev.ftmatrix.testrunner;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Before anyone is blamed, a test that failed concurrently only without the GIL runs again: up to
 * {@link Verdicts#CONFIRM_RUNS_WITH_GIL} times with the GIL, its copies interleaved (its runs stop at the first
 * failure: the test races with itself), then, if it never failed there, {@link Verdicts#CONFIRM_RUNS} times without
 * it for its rate. It stays unconfirmed when the budget ran out before its runs with the GIL did, or when its rate
 * without the GIL cannot be told apart from none with it ({@link Verdicts#fisher}). Used for the pinned run and for
 * each patched rebuild alike.
 *
 * @param run the free-threaded outcome with the confirmation runs folded in
 * @param baseline the outcome with the GIL, likewise
 * @param unconfirmed the tests neither counted nor passed
 * @param ran whether any confirmation ran
 */
public record Confirmation(VariantRun.Outcome run, VariantRun.Outcome baseline, Set<String> unconfirmed, boolean ran) {
    public Confirmation {
        unconfirmed = Set.copyOf(unconfirmed);
    }

    /**
     * @param ftRun the run {@code o} came from (its venv is reused)
     * @param baselineRun the run with the GIL {@code baseline} came from; null: nothing can be confirmed
     */
    public static Confirmation of(VariantRun ftRun, VariantRun.Outcome o, VariantRun baselineRun,
                                  VariantRun.Outcome baseline, Progress progress, String tag) {
        List<String> confirm = Verdicts.toConfirm(o, baseline);
        if (confirm.isEmpty() || baselineRun == null) {
            return new Confirmation(o, baseline, Set.of(), false);
        }
        Set<String> unconfirmed = new HashSet<>();
        progress.report(tag + confirm.size() + " test(s) failed concurrently only without the GIL: up to "
                + Verdicts.CONFIRM_RUNS_WITH_GIL + " more concurrent runs of each with the GIL (interleaved; a test's"
                + " runs stop at its first failure there)");
        Map<String, TestResult> withGil = baselineRun.rerunConcurrently(confirm, Verdicts.CONFIRM_RUNS_WITH_GIL);
        baseline = baseline.withTests(Verdicts.withMoreRuns(baseline.tests(), withGil));
        // a test whose runs with the GIL neither failed once nor all ran (the budget ran out) is unconfirmed
        confirm.stream().filter(id -> !withGil.containsKey(id) || withGil.get(id).concurrentFailures() == 0
                && withGil.get(id).concurrentRuns() < Verdicts.CONFIRM_RUNS_WITH_GIL).forEach(unconfirmed::add);
        // a test that failed with the GIL too races with itself; only the others need their rate without it
        List<String> still = confirm.stream()
                .filter(id -> withGil.containsKey(id) && withGil.get(id).concurrentFailures() == 0).toList();
        if (!still.isEmpty()) {
            progress.report(tag + still.size() + " test(s) never failed with the GIL: " + Verdicts.CONFIRM_RUNS
                    + " more concurrent runs of each without it");
            o = o.withTests(Verdicts.withMoreRuns(o.tests(), ftRun.rerunConcurrently(still, Verdicts.CONFIRM_RUNS)));
        }
        // and one whose rate without the GIL the runs cannot tell from none with it (1 of 21 against 0 of 61: a rare
        // race of the test's own looks just like that) is not confirmed either
        Map<String, TestResult> ft = new HashMap<>();
        o.tests().forEach(t -> ft.put(t.id(), t));
        Map<String, TestResult> gil = new HashMap<>();
        baseline.tests().forEach(t -> gil.put(t.id(), t));
        for (String id : still) {
            TestResult a = ft.get(id);
            TestResult b = gil.get(id);
            if (a != null && b != null && b.concurrentFailures() == 0 && Verdicts.fisher(a.concurrentFailures(),
                    a.concurrentRuns(), b.concurrentFailures(), b.concurrentRuns()) >= Verdicts.CONFIRM_P) {
                unconfirmed.add(id);
            }
        }
        return new Confirmation(o, baseline, unconfirmed, true);
    }
}
