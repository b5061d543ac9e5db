package dev.ftmatrix.testrunner.harness;

/**
 * One unit of a harness run: a test run once single-threaded ({@code phase = "single"}) or its body run by N
 * threads at once ({@code "parallel"}, in the given iteration, from 1).
 */
public record Step(String phase, String id, int iteration) {
    public static final String SINGLE = "single";
    public static final String PARALLEL = "parallel";

    public static Step single(String id) {
        return new Step(SINGLE, id, 1);
    }

    public static Step parallel(String id, int iteration) {
        return new Step(PARALLEL, id, iteration);
    }
}
