package dev.ftmatrix.testrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    private static final Variant FT = Variant.parse("cp313t");
    private static final Variant GIL = Variant.parse("cp313");

    private static VariantRun.Outcome run(Boolean gilAfter, String reenabledBy, TestResult... tests) {
        return new VariantRun.Outcome(new BuildResult(true, "", List.of("x.whl"), "", 1), List.of("x"), gilAfter,
                reenabledBy, Map.of(), Arrays.asList(tests), "");
    }

    private static TestResult t(String id, TestOutcome o) {
        return new TestResult(id, o, "", 0);
    }

    @Test
    void failureOnlyWithoutTheGilIsFtFailures() {
        var d = Verdicts.decide(FT, run(false, "", t("a", TestOutcome.PASS), t("b", TestOutcome.FAIL)),
                run(null, "", t("a", TestOutcome.PASS), t("b", TestOutcome.PASS)));
        assertEquals(Verdict.FT_FAILURES, d.verdict());
        assertTrue(d.reason().contains("b"), d.reason());
    }

    @Test
    void failureThatTheBaselineSharesIsNotBlamedOnFreeThreading() {
        var d = Verdicts.decide(FT, run(false, "", t("a", TestOutcome.PASS), t("b", TestOutcome.FAIL)),
                run(null, "", t("a", TestOutcome.PASS), t("b", TestOutcome.FAIL)));
        assertEquals(Verdict.BASELINE_FAILING, d.verdict());
    }

    @Test
    void crashOutranksHangAndFailures() {
        var d = Verdicts.decide(FT, run(false, "", t("a", TestOutcome.FAIL), t("b", TestOutcome.HANG),
                t("c", TestOutcome.CRASH)), run(null, "", t("a", TestOutcome.PASS), t("b", TestOutcome.PASS),
                t("c", TestOutcome.PASS)));
        assertEquals(Verdict.CRASH, d.verdict());
        assertTrue(d.reason().contains("c"));
    }

    @Test
    void passingButGilReenabledIsWorksUndeclaredNamingTheModule() {
        var d = Verdicts.decide(FT, run(true, "pkg._speedups", t("a", TestOutcome.PASS)), run(null, "", t("a", TestOutcome.PASS)));
        assertEquals(Verdict.WORKS_UNDECLARED, d.verdict());
        assertTrue(d.reason().contains("pkg._speedups"), d.reason());
    }

    @Test
    void passingWithTheGilOffIsReady() {
        assertEquals(Verdict.READY, Verdicts.decide(FT, run(false, "", t("a", TestOutcome.PASS),
                t("s", TestOutcome.SKIP)), null).verdict());
    }

    @Test
    void gilBuildFailuresAreBaselineFailing() {
        assertEquals(Verdict.BASELINE_FAILING, Verdicts.decide(GIL, run(null, "", t("a", TestOutcome.ERROR)), null).verdict());
        assertEquals(Verdict.READY, Verdicts.decide(GIL, run(null, "", t("a", TestOutcome.PASS)), null).verdict());
    }

    @Test
    void buildFailureCarriesItsReason() {
        var o = new VariantRun.Outcome(BuildResult.failed("pip wheel failed (exit 1)", "error: x", 3), List.of(), null,
                "", Map.of(), List.of(), "");
        var d = Verdicts.decide(FT, o, null);
        assertEquals(Verdict.BUILD_FAILED, d.verdict());
        assertEquals("pip wheel failed (exit 1)", d.reason());
    }
}
