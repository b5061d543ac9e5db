package dev.ftmatrix.service;

import dev.ftmatrix.core.TestOptions;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How tests run, for every command that runs them: one declaration of {@code --threads}, {@code --iterations} and
 * {@code --test-deadline}, each checked against {@link TestOptions}'s bounds as it is parsed, so a bad value ends
 * the command with exit 2 before any work is done.
 */
final class TestOptionsMixin {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private int threads = TestOptions.defaultThreads();
    private int iterations = TestOptions.DEFAULT_ITERATIONS;
    private long testDeadlineSeconds;

    /** {@code ftm demo}'s: the fixtures' tests take well under a second, and ft-hang's deadlock waits all of it. */
    static final long DEMO_TEST_DEADLINE_SECONDS = 30;

    TestOptionsMixin() {
        this(TestOptions.DEFAULT_TEST_DEADLINE_SECONDS);
    }

    /** With another default deadline ({@code ftm demo}'s fixtures take well under a second a test). */
    TestOptionsMixin(long defaultDeadlineSeconds) {
        this.testDeadlineSeconds = defaultDeadlineSeconds;
    }

    @Option(names = "--threads", paramLabel = "N", description = "threads that run each test at once, 1 to "
            + TestOptions.MAX_THREADS + " (default: the cores)")
    void threads(int n) {
        threads = (int) within("--threads", n, 1, TestOptions.MAX_THREADS, "");
    }

    @Option(names = "--iterations", paramLabel = "K", description = "repeat the concurrent run K times, 1 to "
            + TestOptions.MAX_ITERATIONS + "; a test failing in some is intermittent, with its rate (default: "
            + TestOptions.DEFAULT_ITERATIONS + ")")
    void iterations(int k) {
        iterations = (int) within("--iterations", k, 1, TestOptions.MAX_ITERATIONS, "");
    }

    @Option(names = "--test-deadline", paramLabel = "SECONDS", description = "seconds one test may take, 1 to "
            + TestOptions.MAX_TEST_DEADLINE_SECONDS + " (default: "
            + TestOptions.DEFAULT_TEST_DEADLINE_SECONDS + "; ftm demo: " + DEMO_TEST_DEADLINE_SECONDS + ")")
    void testDeadline(long seconds) {
        testDeadlineSeconds = within("--test-deadline", seconds, 1, TestOptions.MAX_TEST_DEADLINE_SECONDS,
                " seconds (a whole suite has " + TestOptions.DEFAULT_SUITE_DEADLINE.toMinutes() + " minutes)");
    }

    long testDeadlineSeconds() {
        return testDeadlineSeconds;
    }

    /** The options record, built once and passed whole to every run. */
    TestOptions options() {
        return TestOptions.defaults().withThreads(threads).withIterations(iterations)
                .withTestDeadline(Duration.ofSeconds(testDeadlineSeconds));
    }

    private long within(String option, long value, long min, long max, String why) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": give " + min + " to " + max + why);
        }
        return value;
    }
}
