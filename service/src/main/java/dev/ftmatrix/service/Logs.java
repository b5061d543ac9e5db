package dev.ftmatrix.service;

import dev.ftmatrix.toolchain.Toolchains;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the {@code ftm} command's log goes: a file per run under {@code CACHE/logs/} (the newest {@value #KEPT} kept),
 * so the screen gets progress and one line per error, and a stack trace stays in the file it names.
 */
final class Logs {
    static final int KEPT = 20;
    private static final String FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";
    private static Path current;

    private Logs() {
    }

    /**
     * Points slf4j-simple at this run's file before any logger exists, unless {@code -Dorg.slf4j.simpleLogger.logFile}
     * says otherwise; older files past the newest {@value #KEPT} are removed.
     */
    static void toFile() {
        if (System.getProperty(FILE_PROPERTY) != null) {
            return;
        }
        Path dir = Toolchains.defaultCacheRoot().resolve("logs");
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                List<Path> logs = old.filter(p -> p.getFileName().toString().matches("ftm-.*\\.log"))
                        .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
                for (Path p : logs.subList(Math.min(logs.size(), KEPT - 1), logs.size())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep ftm's log in " + dir + ": make it writable or set FTM_CACHE", e);
        }
        current = dir.resolve("ftm-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + ProcessHandle.current().pid() + ".log");
        System.setProperty(FILE_PROPERTY, current.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }

    /** Where the details are: this run's file, or the console when the log goes there (tests, -D set). */
    static String where() {
        return current != null ? current.toString() : "the log above";
    }
}
