package dev.ftmatrix.service;

import dev.ftmatrix.core.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** The one reporter of user-facing progress: timestamped lines on stderr. */
final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final Instant start = Instant.now();

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void report(String line) {
        if (Interrupts.interrupted()) {
            return;   // what goes on while the JVM shuts down is the interrupt's doing, not news
        }
        Interrupts.step(line);
        long s = Duration.between(start, Instant.now()).toSeconds();
        out.printf("[%3d:%02d] %s%n", s / 60, s % 60, line);
        out.flush();
    }
}
