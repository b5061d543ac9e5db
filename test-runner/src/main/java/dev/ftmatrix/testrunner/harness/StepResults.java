package dev.ftmatrix.testrunner.harness;

import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Folds the steps of one test into its {@link TestResult}: a crash or hang in any step wins, then a single-threaded
 * failure, then the parallel runs, reported with how many of the iterations failed (an intermittent failure says
 * its rate).
 */
public final class StepResults {
    /** One finished step. */
    public record Done(Step step, TestOutcome outcome, String message, long millis) {
    }

    private final Map<String, List<Done>> byTest = new LinkedHashMap<>();

    public void add(Done d) {
        byTest.computeIfAbsent(d.step().id(), k -> new ArrayList<>()).add(d);
    }

    public boolean has(Step s) {
        return byTest.getOrDefault(s.id(), List.of()).stream().anyMatch(d -> d.step().equals(s));
    }

    /** How a test the sandbox's memory limit stopped is reported (not counted: ftm's environment, not the project). */
    public static final String MEMORY_LIMIT = "not run to its end: the sandbox's memory limit stopped it";

    /** True when the test crashed, hung or met the memory limit: its later steps are not run again. */
    public boolean killedBy(String id) {
        return byTest.getOrDefault(id, List.of()).stream()
                .anyMatch(d -> d.outcome() == TestOutcome.CRASH || d.outcome() == TestOutcome.HANG
                        || d.message().startsWith(MEMORY_LIMIT));
    }

    /** Whether any step of the test failed, crashed or hung. */
    public boolean failed(String id) {
        return byTest.getOrDefault(id, List.of()).stream().anyMatch(d -> d.outcome().isBad());
    }

    /**
     * Whether {@code s} is still to run: not run yet, and its test not killed, except for the single-threaded run
     * that tells whether a test that crashed or hung concurrently does so alone too (never after the memory limit,
     * which would only stop it again).
     */
    public boolean pending(Step s) {
        if (has(s)) {
            return false;
        }
        List<Done> steps = byTest.getOrDefault(s.id(), List.of());
        if (steps.stream().anyMatch(d -> d.message().startsWith(MEMORY_LIMIT))) {
            return false;
        }
        return !killedBy(s.id()) || Step.SINGLE.equals(s.phase());
    }

    /** The results in the order of {@code ids} (tests never run are left out). */
    public List<TestResult> results(List<String> ids, int threads) {
        List<TestResult> out = new ArrayList<>();
        for (String id : ids) {
            List<Done> steps = byTest.get(id);
            if (steps != null) {
                out.add(fold(id, steps, threads));
            }
        }
        return out;
    }

    static TestResult fold(String id, List<Done> steps, int threads) {
        long millis = steps.stream().mapToLong(Done::millis).sum();
        List<Done> parallel = steps.stream().filter(d -> Step.PARALLEL.equals(d.step().phase())).toList();
        int runs = parallel.size();
        int failures = (int) parallel.stream().filter(d -> d.outcome().isBad()).count();
        int n = runs == 0 ? 0 : threads;
        for (Done d : steps) {
            if (d.message().startsWith(MEMORY_LIMIT)) {
                return new TestResult(id, TestOutcome.SKIP, d.message(), millis);
            }
        }
        // a test that crashed concurrently and alone crashed alone: the single-threaded run is looked at first
        List<Done> aloneFirst = new ArrayList<>(steps);
        aloneFirst.sort(Comparator.comparing(d -> !Step.SINGLE.equals(d.step().phase())));
        for (TestOutcome worst : List.of(TestOutcome.CRASH, TestOutcome.HANG)) {
            for (Done d : aloneFirst) {
                if (d.outcome() == worst) {
                    return new TestResult(id, worst, where(d, threads) + d.message(), millis, phase(d), n, runs, failures);
                }
            }
        }
        Done single = steps.stream().filter(d -> Step.SINGLE.equals(d.step().phase())).findFirst().orElse(null);
        if (single != null && single.outcome().isBad()) {
            return new TestResult(id, single.outcome(), where(single, threads) + single.message(), millis,
                    TestResult.SINGLE, n, runs, failures);
        }
        List<Done> bad = parallel.stream().filter(d -> d.outcome().isBad()).toList();
        if (!bad.isEmpty()) {
            String rate = bad.size() == parallel.size() ? "in every one of " + parallel.size() + " concurrent run(s)"
                    : String.format(Locale.ROOT, "intermittent: in %d of %d concurrent runs (%.0f%%)", bad.size(),
                    parallel.size(), 100.0 * bad.size() / parallel.size());
            Done first = bad.getFirst();
            return new TestResult(id, first.outcome(), "failed with " + threads + " threads at once, " + rate + ":\n"
                    + first.message(), millis, TestResult.CONCURRENT, n, runs, failures);
        }
        TestOutcome o = single != null ? single.outcome() : parallel.isEmpty() ? TestOutcome.ERROR : parallel.getFirst().outcome();
        String msg = single != null ? single.message() : "";
        return new TestResult(id, o, msg, millis, "", n, runs, failures);
    }

    private static String phase(Done d) {
        return Step.SINGLE.equals(d.step().phase()) ? TestResult.SINGLE : TestResult.CONCURRENT;
    }

    private static String where(Done d, int threads) {
        return Step.SINGLE.equals(d.step().phase()) ? "single-threaded: "
                : "with " + threads + " threads at once (concurrent run " + d.step().iteration() + "): ";
    }
}
