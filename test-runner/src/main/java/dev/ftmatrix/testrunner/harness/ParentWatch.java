package dev.ftmatrix.testrunner.harness;

/**
 * A harness child ends when the ftm process that started it is gone: killed outright ({@code kill -9}), its
 * children would otherwise go on running the suite, writing into a work directory nobody reads.
 */
public final class ParentWatch {
    /** The exit code of a child that stops because its parent is gone. */
    public static final int PARENT_GONE = 129;

    private ParentWatch() {
    }

    /** Halts this JVM as soon as its parent process ends (inside a container the parent is its init: no-op). */
    public static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit()
                .thenRun(() -> Runtime.getRuntime().halt(PARENT_GONE)));
    }
}
