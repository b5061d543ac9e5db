package dev.ftmatrix.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The private PostgreSQL of {@code scripts/postgres-up.sh}, started (or reused) once per test JVM; each test gets a
 * database of its own.
 */
final class PostgresServer {
    private static String url;

    private PostgresServer() {
    }

    /** The repository's root (tests run in {@code service/}). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("scripts/postgres-up.sh")) ? here : here.getParent();
    }

    /** The JDBC URL of the server's {@code ftm} database, starting the server when it is not running. */
    static synchronized String url() throws IOException, InterruptedException {
        if (url == null) {
            Process p = new ProcessBuilder("bash", root().resolve("scripts/postgres-up.sh").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/postgres-up.sh failed: " + out);
            }
            List<String> lines = out.lines().toList();
            url = lines.getLast().strip();
        }
        return url;
    }

    /** A new, empty database on the server; returns its JDBC URL. */
    static String freshDatabase() throws IOException, InterruptedException, SQLException {
        String base = url();
        String name = "ftm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return base.replaceFirst("/ftm\\?", "/" + name + "?");
    }
}
