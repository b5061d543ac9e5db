package dev.ftmatrix.core;

import java.time.Duration;
import java.util.List;

/**
 * How a project's tests are run, built once by the command and passed whole to every run of that project (the
 * pinned run, its GIL baseline and each patched rebuild), so that like is compared with like.
 *
 * @param threads threads that run each test at once in the concurrent phase
 * @param iterations how often the concurrent phase runs (a failure rate needs more than one)
 * @param testDeadline how long one test (or one concurrent run of it) may take
 * @param threadUnsafe test ids run single-threaded only, besides those detected or marked
 * @param pytestArgs pytest arguments instead of the project's own discovery (empty: the project's configuration)
 * @param maxConsecutiveHangs after this many hangs in a row the rest of the suite is not run
 * @param suiteDeadline the whole test phase of one (project, variant): past it the rest is not run
 */
public record TestOptions(int threads, int iterations, Duration testDeadline, List<String> threadUnsafe,
                          List<String> pytestArgs, int maxConsecutiveHangs, Duration suiteDeadline) {
    /**
     * Far more than the cores of any machine we run on, and within the sandbox's 1024 processes and threads; each
     * test thread reserves a Python-sized 8 MiB stack.
     */
    public static final int MAX_THREADS = 256;
    /** The harness plans every concurrent run up front (tests times iterations); a rate needs tens, not millions. */
    public static final int MAX_ITERATIONS = 100;
    /** How long the whole test phase of one (project, variant) may take unless told otherwise: 30 minutes. */
    public static final long DEFAULT_SUITE_DEADLINE_SECONDS = 1800;
    public static final Duration DEFAULT_SUITE_DEADLINE = Duration.ofSeconds(DEFAULT_SUITE_DEADLINE_SECONDS);
    /** The whole suite's default deadline: a longer one for a single test would never be reached. */
    public static final long MAX_TEST_DEADLINE_SECONDS = DEFAULT_SUITE_DEADLINE_SECONDS;
    /** How long one test may take unless told otherwise (a constant: picocli's help text names it). */
    public static final long DEFAULT_TEST_DEADLINE_SECONDS = 120;
    public static final Duration DEFAULT_TEST_DEADLINE = Duration.ofSeconds(DEFAULT_TEST_DEADLINE_SECONDS);
    /** How often the concurrent phase runs unless told otherwise. */
    public static final int DEFAULT_ITERATIONS = 1;
    /** After this many hangs in a row the rest of the suite is not run, unless told otherwise. */
    public static final int DEFAULT_MAX_CONSECUTIVE_HANGS = 3;

    public TestOptions {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new UserInputException("--threads " + threads + ": give 1 to " + MAX_THREADS);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new UserInputException("--iterations " + iterations + ": give 1 to " + MAX_ITERATIONS);
        }
        if (testDeadline == null || testDeadline.compareTo(Duration.ofSeconds(1)) < 0
                || testDeadline.compareTo(Duration.ofSeconds(MAX_TEST_DEADLINE_SECONDS)) > 0) {
            throw new UserInputException("--test-deadline " + (testDeadline == null ? "" : testDeadline.toSeconds())
                    + ": give 1 to " + MAX_TEST_DEADLINE_SECONDS + " seconds");
        }
        if (maxConsecutiveHangs < 1) {
            throw new UserInputException("max consecutive hangs " + maxConsecutiveHangs + ": give 1 or more");
        }
        threadUnsafe = threadUnsafe == null ? List.of() : List.copyOf(threadUnsafe);
        pytestArgs = pytestArgs == null ? List.of() : List.copyOf(pytestArgs);
        suiteDeadline = suiteDeadline == null ? DEFAULT_SUITE_DEADLINE : suiteDeadline;
    }

    /** The defaults: the cores' threads, one iteration, 120 s a test, 3 hangs in a row, 30 minutes a suite. */
    public static TestOptions defaults() {
        return new TestOptions(defaultThreads(), DEFAULT_ITERATIONS, DEFAULT_TEST_DEADLINE, List.of(), List.of(),
                DEFAULT_MAX_CONSECUTIVE_HANGS, DEFAULT_SUITE_DEADLINE);
    }

    /** The threads that run each test at once unless told otherwise: the cores. */
    public static int defaultThreads() {
        // at least 2 (one thread races with nothing), at most the bound (a machine with more cores gains nothing)
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 2, MAX_THREADS);
    }

    public TestOptions withThreads(int n) {
        return new TestOptions(n, iterations, testDeadline, threadUnsafe, pytestArgs, maxConsecutiveHangs, suiteDeadline);
    }

    public TestOptions withIterations(int k) {
        return new TestOptions(threads, k, testDeadline, threadUnsafe, pytestArgs, maxConsecutiveHangs, suiteDeadline);
    }

    public TestOptions withTestDeadline(Duration d) {
        return new TestOptions(threads, iterations, d, threadUnsafe, pytestArgs, maxConsecutiveHangs, suiteDeadline);
    }

    public TestOptions withThreadUnsafe(List<String> ids) {
        return new TestOptions(threads, iterations, testDeadline, ids, pytestArgs, maxConsecutiveHangs, suiteDeadline);
    }

    public TestOptions withPytestArgs(List<String> args) {
        return new TestOptions(threads, iterations, testDeadline, threadUnsafe, args, maxConsecutiveHangs, suiteDeadline);
    }
}
