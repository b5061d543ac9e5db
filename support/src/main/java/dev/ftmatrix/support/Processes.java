package dev.ftmatrix.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a command to completion or to its deadline, output teed to a log file and to a line consumer. */
public final class Processes {
    private static final int KEEP = 1 << 20;

    private Processes() {
    }

    /** A finished command: {@code exitCode} is 128+signal for a killed process, as a shell reports it. */
    public record Run(int exitCode, boolean timedOut, String output, long millis) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** The last {@code n} lines of the output. */
        public String tail(int n) {
            List<String> lines = output.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    public static Run run(List<String> command, Path dir, Map<String, String> env, Path log, Consumer<String> lines) {
        return run(command, dir, env, log, lines, null);
    }

    /** Runs {@code command}; past {@code deadline} (null: none) the process and its descendants are killed. */
    public static Run run(List<String> command, Path dir, Map<String, String> env, Path log, Consumer<String> lines,
                          Duration deadline) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        StringBuilder out = new StringBuilder();
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        Thread reader = Thread.ofPlatform().daemon().start(() -> pump(p, log, lines, out));
        try {
            p.getOutputStream().close();
            boolean done = deadline == null ? p.waitFor() >= Integer.MIN_VALUE : p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            reader.join(5000);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            note(log, command, done ? "exit " + p.exitValue() : "killed at its deadline", millis);
            synchronized (out) {
                return new Run(p.exitValue(), !done, out.toString(), millis);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }

    /** The log's record of each command: what ran, how it ended and how long it took (to rerun it by hand). */
    private static void note(Path log, List<String> command, String ended, long millis) {
        if (log == null) {
            return;
        }
        String cmd = String.join(" ", command);
        String line = "[ftm] " + (cmd.length() > 600 ? cmd.substring(0, 600) + " ..." : cmd) + " -> " + ended
                + " in " + millis + " ms\n";
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for people; a command's result does not depend on it
        }
    }

    private static void pump(Process p, Path log, Consumer<String> lines, StringBuilder out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer w = log == null ? Writer.nullWriter() : Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = r.readLine()) != null) {
                w.write(line);
                w.write('\n');
                synchronized (out) {
                    if (out.length() > KEEP) {
                        out.delete(0, out.length() - KEEP / 2);
                    }
                    out.append(line).append('\n');
                }
                lines.accept(line);
            }
        } catch (IOException e) {
            // the process went away mid-line; what was read is kept
        }
    }
}
