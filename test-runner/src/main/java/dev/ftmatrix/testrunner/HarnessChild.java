package dev.ftmatrix.testrunner;

import dev.ftmatrix.testrunner.harness.ChildMain;
import dev.ftmatrix.testrunner.harness.ChildOptions;
import java.util.List;

/**
 * The harness's child in this process, for {@code ftm harness}: the same entry the test runner starts as a child JVM
 * ({@code ChildMain}), with the same arguments.
 */
public final class HarnessChild {
    private HarnessChild() {
    }

    /**
     * Runs the child with its command-line arguments ({@code --libpython F --venv D --project D --events F ...}) to
     * its end; returns its exit code (0 also when tests failed: the failures are in the events). A malformed
     * argument is a {@link dev.ftmatrix.core.UserInputException}.
     */
    public static int run(List<String> args) {
        return ChildMain.run(ChildOptions.parse(args));
    }
}
