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

    private static TestResult concurrent(String id, TestOutcome o, int runs, int failures) {
        return new TestResult(id, o, "", 0, failures > 0 ? TestResult.CONCURRENT : "", 2, runs, failures);
    }

    @Test
    void concurrentFailureWithTheGilTooIsAThreadUnsafeTestNotAFreeThreadingFailure() {
        var d = Verdicts.decide(FT, run(false, "", t("a", TestOutcome.PASS), concurrent("leak", TestOutcome.FAIL, 1, 1)),
                run(null, "", t("a", TestOutcome.PASS), concurrent("leak", TestOutcome.FAIL, 1, 1)));
        assertEquals(Verdict.READY, d.verdict(), d.reason());
        assertEquals(List.of("leak"), d.threadUnsafe().stream().map(u -> u.id()).toList());
        assertTrue(d.threadUnsafe().getFirst().reason().contains("1 of 1 run(s) with the GIL"), d.threadUnsafe().toString());
    }

    @Test
    void concurrentFailureOnlyWithoutTheGilIsFtFailuresWithItsRate() {
        var d = Verdicts.decide(FT, run(false, "", concurrent("race", TestOutcome.FAIL, 4, 3)),
                run(null, "", concurrent("race", TestOutcome.PASS, 4, 0)));
        assertEquals(Verdict.FT_FAILURES, d.verdict());
        assertTrue(d.reason().contains("race [concurrently, 2 threads, 3 of 4 run(s)]"), d.reason());
    }

    @Test
    void aHigherRateWithoutTheGilStillMeansARacyTestWhenTheGilBuildFailsItToo() {
        var d = Verdicts.decide(FT, run(false, "", t("a", TestOutcome.PASS), concurrent("race", TestOutcome.FAIL, 11, 9)),
                run(null, "", t("a", TestOutcome.PASS), concurrent("race", TestOutcome.FAIL, 11, 1)));
        assertEquals(Verdict.READY, d.verdict(), d.reason());
        assertTrue(d.threadUnsafe().getFirst().reason().contains("1 of 11 run(s) with the GIL, 9 of 11 without"),
                d.threadUnsafe().toString());
    }

    @Test
    void aCrashWhenRunConcurrentlyCountsEvenIfTheGilBuildFailsTheTestConcurrently() {
        var d = Verdicts.decide(FT, run(false, "", concurrent("race", TestOutcome.CRASH, 1, 1)),
                run(null, "", concurrent("race", TestOutcome.FAIL, 1, 1)));
        assertEquals(Verdict.CRASH, d.verdict(), d.reason());
    }

    @Test
    void onlyConcurrentFailuresTheBaselineDidNotShowAreConfirmedAndTheirRunsAddUp() {
        var ft = run(false, "", concurrent("race", TestOutcome.FAIL, 1, 1), concurrent("shared", TestOutcome.FAIL, 1, 1),
                new TestResult("alone", TestOutcome.FAIL, "", 0, TestResult.SINGLE, 0, 0, 0));
        var gil = run(null, "", concurrent("race", TestOutcome.PASS, 1, 0), concurrent("shared", TestOutcome.FAIL, 1, 1),
                t("alone", TestOutcome.PASS));
        assertEquals(List.of("race"), Verdicts.toConfirm(ft, gil));
        var merged = Verdicts.withMoreRuns(gil.tests(), Map.of("race", concurrent("race", TestOutcome.FAIL, 10, 2)));
        TestResult race = merged.getFirst();
        assertEquals(11, race.concurrentRuns());
        assertEquals(2, race.concurrentFailures());
        assertEquals(TestOutcome.FAIL, race.outcome());
        assertEquals(TestResult.CONCURRENT, race.phase());
    }

    @Test
    void aConcurrentFailureWhoseConfirmationRanOutOfBudgetIsNeitherReadyNorBlamed() {
        var ft = run(false, "", t("a", TestOutcome.PASS), concurrent("race", TestOutcome.FAIL, 1, 1));
        var gil = run(null, "", t("a", TestOutcome.PASS), concurrent("race", TestOutcome.PASS, 7, 0));
        var d = Verdicts.decide(FT, ft, gil, java.util.Set.of("race"));
        assertEquals(Verdict.UNTESTED, d.verdict());
        assertTrue(d.reason().contains("could not be confirmed"), d.reason());
        assertEquals(Verdict.FT_FAILURES, Verdicts.decide(FT, ft, gil, java.util.Set.of()).verdict(), "confirmed: counted");
    }

    @Test
    void fisherTellsARateWithoutTheGilApartFromNoneWithItOnlyWhenTheRunsSaySo() {
        assertEquals(21.0 / 82, Verdicts.fisher(1, 21, 0, 61), 1e-9, "1 of 21 against 0 of 61: too rare");
        assertTrue(Verdicts.fisher(3, 21, 0, 61) > Verdicts.CONFIRM_P, "3 of 21: still not told apart");
        assertTrue(Verdicts.fisher(4, 21, 0, 61) < Verdicts.CONFIRM_P, "4 of 21: told apart");
        assertTrue(Verdicts.fisher(21, 21, 0, 61) < 1e-15);
        assertEquals(1.0, Verdicts.fisher(0, 21, 0, 61), 1e-12);
    }

    @Test
    void testsDetectedAsThreadUnsafeAreListedWithTheirReason() {
        var run = new VariantRun.Outcome(new BuildResult(true, "", List.of("x.whl"), "", 1), List.of("x"), false, "",
                Map.of(), List.of(t("a", TestOutcome.PASS)), "", "none", "",
                new Harness.Collection(List.of("a"), Map.of("a", "uses thread-unsafe fixture(s): {'monkeypatch'}"),
                        List.of(), "pytest-run-parallel", "/p", ""), null, "");
        var d = Verdicts.decide(FT, run, run(null, "", t("a", TestOutcome.PASS)));
        assertEquals(Verdict.READY, d.verdict());
        assertTrue(d.threadUnsafe().getFirst().reason().contains("monkeypatch"));
    }

    @Test
    void aModuleThatDoesNotImportIsImportFailedNeverReady() {
        var o = new VariantRun.Outcome(new BuildResult(true, "", List.of("x.whl"), "", 1), List.of("x"), null, "",
                Map.of("x", "Traceback...\nImportError: No module named 'numpy'"), List.of(), "");
        var d = Verdicts.decide(FT, o, null);
        assertEquals(Verdict.IMPORT_FAILED, d.verdict());
        assertTrue(d.reason().contains("numpy"), d.reason());
    }

    @Test
    void noTestThatPassedIsUntestedNeverReady() {
        assertEquals(Verdict.UNTESTED, Verdicts.decide(FT, run(false, "", t("s", TestOutcome.SKIP)),
                run(null, "", t("s", TestOutcome.SKIP))).verdict());
        assertEquals(Verdict.UNTESTED, Verdicts.decide(GIL, run(null, ""), null).verdict());
    }

    @Test
    void ftmsOwnFailureIsErrorAndBlamesNobody() {
        var o = new VariantRun.Outcome(BuildResult.failed("not built", "", 1), List.of(), null, "", Map.of(), List.of(),
                "", "none", "venv: cannot create a venv", null, null, "");
        var d = Verdicts.decide(FT, o, null);
        assertEquals(Verdict.ERROR, d.verdict());
        assertTrue(d.reason().startsWith("not checked: ftm failed at venv"), d.reason());
    }

    @Test
    void aTestNeedingATestRequirementThatCouldNotBeInstalledIsNotCounted() {
        var missing = new dev.ftmatrix.core.VariantResult.TestRequirements(List.of("pytest"),
                List.of(new dev.ftmatrix.core.VariantResult.Missing("psutil>=5", "no wheel")));
        var o = new VariantRun.Outcome(new BuildResult(true, "", List.of("x.whl"), "", 1), List.of("x"), false, "",
                Map.of(), List.of(t("a", TestOutcome.PASS), new TestResult("b", TestOutcome.ERROR,
                        "collection failed:\nModuleNotFoundError: No module named 'psutil'", 0)), "", "none", "", null,
                missing, "");
        var d = Verdicts.decide(FT, o, run(null, "", t("a", TestOutcome.PASS), t("b", TestOutcome.PASS)));
        assertEquals(Verdict.READY, d.verdict(), d.reason());
        assertTrue(d.reason().contains("cannot import what they test") && d.reason().contains("psutil"), d.reason());
    }

    @Test
    void aTestOfASubpackageTheBuildLeftOutIsNotCountedOnEitherBuild() {
        TestResult stream = new TestResult("tests/stream/test_stream_0.py", TestOutcome.ERROR,
                "collection failed:\nE   ModuleNotFoundError: No module named 'lz4.stream'", 0);
        var gil = new VariantRun.Outcome(new BuildResult(true, "", List.of("x.whl"), "", 1), List.of("lz4.block._block"),
                null, "", Map.of(), List.of(t("a", TestOutcome.PASS), stream), "");
        assertEquals(Verdict.READY, Verdicts.decide(GIL, gil, null).verdict());
        var whole = new TestResult("b", TestOutcome.ERROR, "No module named 'lz4'", 0);
        var broken = new VariantRun.Outcome(new BuildResult(true, "", List.of("x.whl"), "", 1), List.of("lz4.block._block"),
                null, "", Map.of(), List.of(t("a", TestOutcome.PASS), whole), "");
        assertEquals(Verdict.BASELINE_FAILING, Verdicts.decide(GIL, broken, null).verdict(),
                "the project's package itself missing is no optional part");
    }

    @Test
    void aWheelWithoutAnExtensionModuleIsUntestedNeverReady() {
        var o = new VariantRun.Outcome(new BuildResult(true, "", List.of("x.whl"), "", 1), List.of(), false, "", Map.of(),
                List.of(t("a", TestOutcome.PASS)), "");
        var d = Verdicts.decide(FT, o, run(null, "", t("a", TestOutcome.PASS)));
        assertEquals(Verdict.UNTESTED, d.verdict());
        assertTrue(d.reason().contains("no extension module"), d.reason());
    }
}
