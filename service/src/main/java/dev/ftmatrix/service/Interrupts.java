package dev.ftmatrix.service;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM end a command with the truth: {@code interrupted during STEP; nothing stored for it}.
 * The JVM's own handler would run the shutdown hooks (Testcontainers stops the sandbox's containers) while the
 * command's thread goes on, so the step they broke would be printed, even stored, as its result; this handler
 * raises a flag first, and every result line and store write checks it; the command's child processes are killed.
 */
final class Interrupts {
    private static final AtomicBoolean INTERRUPTED = new AtomicBoolean();
    private static volatile String step = "start-up";

    private Interrupts() {
    }

    /** Replaces the JVM's handlers of SIGINT and SIGTERM (the {@code ftm} process only, never tests in a JVM). */
    static void install() {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> {
                if (INTERRUPTED.compareAndSet(false, true)) {
                    System.err.println("ftm: interrupted during " + step + "; nothing stored for it");
                    System.err.flush();
                }
                // the command's own processes (a build, pip, a harness child) end with it: a signal sent to ftm
                // alone (kill, a job runner) would leave them writing into a work tree nobody owns any more
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                System.exit(128 + s.getNumber());
            });
        }
    }

    /** What the command is doing now, as its progress line says. */
    static void step(String line) {
        step = "'" + line + "'";
    }

    /** Whether the command was interrupted: then nothing it finishes is a result. */
    static boolean interrupted() {
        return INTERRUPTED.get();
    }
}
