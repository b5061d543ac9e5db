package dev.ftmatrix.testrunner.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepResultsTest {
    private static StepResults.Done done(Step s, TestOutcome o, String msg) {
        return new StepResults.Done(s, o, msg, 10);
    }

    @Test
    void aFailureInSomeParallelRunsIsIntermittentWithItsRate() {
        StepResults r = new StepResults();
        r.add(done(Step.single("t"), TestOutcome.PASS, ""));
        r.add(done(Step.parallel("t", 1), TestOutcome.PASS, ""));
        r.add(done(Step.parallel("t", 2), TestOutcome.FAIL, "assert 3 == 4"));
        r.add(done(Step.parallel("t", 3), TestOutcome.PASS, ""));
        r.add(done(Step.parallel("t", 4), TestOutcome.PASS, ""));
        TestResult t = r.results(List.of("t"), 2).getFirst();
        assertEquals(TestOutcome.FAIL, t.outcome());
        assertTrue(t.message().contains("intermittent: in 1 of 4 concurrent runs (25%)"), t.message());
        assertTrue(t.message().contains("assert 3 == 4"), t.message());
        assertEquals(50, t.millis());
        assertEquals(TestResult.CONCURRENT, t.phase());
        assertEquals(4, t.concurrentRuns());
        assertEquals(1, t.concurrentFailures());
    }

    @Test
    void aCrashWinsOverFailuresAndStopsTheTestsLaterSteps() {
        StepResults r = new StepResults();
        r.add(done(Step.single("t"), TestOutcome.FAIL, "assert False"));
        r.add(done(Step.parallel("t", 1), TestOutcome.CRASH, "Segmentation fault"));
        r.add(done(Step.single("u"), TestOutcome.PASS, ""));
        assertTrue(r.killedBy("t"));
        assertEquals(false, r.killedBy("u"));
        List<TestResult> out = r.results(List.of("u", "t", "never-ran"), 2);
        assertEquals(List.of("u", "t"), out.stream().map(TestResult::id).toList());
        assertEquals(TestOutcome.CRASH, out.get(1).outcome());
        assertTrue(out.get(1).message().startsWith("with 2 threads at once (concurrent run 1): Segmentation fault"));
    }

    @Test
    void aSingleThreadedFailureIsReportedAsSuch() {
        StepResults r = new StepResults();
        r.add(done(Step.single("t"), TestOutcome.ERROR, "fixture 'db' not found"));
        r.add(done(Step.parallel("t", 1), TestOutcome.ERROR, "fixture 'db' not found"));
        TestResult t = r.results(List.of("t"), 4).getFirst();
        assertEquals(TestOutcome.ERROR, t.outcome());
        assertEquals("single-threaded: fixture 'db' not found", t.message());
    }

    @Test
    void aTestTheSandboxsMemoryLimitStoppedIsNotRunToItsEndNotACrash() {
        StepResults r = new StepResults();
        r.add(done(Step.single("huge"), TestOutcome.SKIP, StepResults.MEMORY_LIMIT + ": limit 4096 MiB"));
        assertTrue(r.killedBy("huge"), "its concurrent steps are not tried again");
        TestResult t = r.results(List.of("huge"), 2).getFirst();
        assertEquals(TestOutcome.SKIP, t.outcome());
        assertTrue(t.message().startsWith(StepResults.MEMORY_LIMIT), t.message());
    }
}
