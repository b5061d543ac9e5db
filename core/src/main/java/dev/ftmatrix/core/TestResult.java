package dev.ftmatrix.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One test's outcome: {@code id} is pytest's node id; {@code message} the assertion or crash text.
 *
 * @param phase where it failed: {@code single} (run alone), {@code concurrent} (only when N copies ran at once), or
 *     empty when it did not fail
 * @param threads how many threads ran it at once in the concurrent phase (0: not run concurrently)
 * @param concurrentRuns how many concurrent runs it had (the iterations), and {@code concurrentFailures} how many
 *     of them failed: the failure rate
 */
public record TestResult(String id, TestOutcome outcome, String message, long millis,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) String phase,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) int threads,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) int concurrentRuns,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) int concurrentFailures) {
    public static final String SINGLE = "single";
    public static final String CONCURRENT = "concurrent";

    public TestResult {
        message = message == null ? "" : message;
        phase = phase == null ? "" : phase;
    }

    public TestResult(String id, TestOutcome outcome, String message, long millis) {
        this(id, outcome, message, millis, "", 0, 0, 0);
    }

    /** The share of concurrent runs that failed, 0 when there were none. */
    public double concurrentFailureRate() {
        return concurrentRuns == 0 ? 0 : (double) concurrentFailures / concurrentRuns;
    }
}
