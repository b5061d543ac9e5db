package dev.ftmatrix.core;

/** One test's outcome: {@code id} is pytest's node id; {@code message} the assertion or crash text. */
public record TestResult(String id, TestOutcome outcome, String message, long millis) {
    public TestResult {
        message = message == null ? "" : message;
    }
}
