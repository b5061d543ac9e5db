package dev.ftmatrix.testrunner;

/**
 * The harness itself failed (its child JVM ran out of heap, or its own code threw): ftm's failure, never the project's, so the variant's
 * verdict is {@code error}, not a crash of the test that happened to be running.
 */
public final class HarnessFailure extends RuntimeException {
    public HarnessFailure(String message) {
        super(message);
    }
}
