package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Whether a result store's file is a healthy store of ours, and SQLite's failures in the user's words. */
final class StoreHealth {
    /** The first 16 bytes of every SQLite 3 database file. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private StoreHealth() {
    }

    /**
     * Refuses a file that is not a healthy store of ours before anything opens it to write: empty or cut short,
     * not SQLite at all, failing SQLite's quick check, or another program's database. The quick check is skipped
     * for a file in the state it was last known healthy in ({@link StoreHealthRecord}).
     */
    static void check(Path file) throws IOException, SQLException {
        String header = headerProblem(file);
        if (header != null) {
            throw damaged(file, header);
        }
        // a file in the state it was last known healthy in is not read through again (StoreHealthRecord)
        boolean known = StoreHealthRecord.healthy(file);
        StoreHealthRecord.State before = known ? null : StoreHealthRecord.stateOf(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(30_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            List<String> problems = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(known ? "SELECT 'ok'" : "PRAGMA quick_check")) {
                while (rs.next()) {
                    problems.add(rs.getString(1));
                }
            }
            if (!problems.equals(List.of("ok"))) {
                throw damaged(file, "SQLite's quick check: " + String.join("; ", problems).replaceAll("\\s+", " "));
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (!tables.isEmpty() && !tables.contains("results")) {
                throw damaged(file, "it holds tables " + tables + " but no results: another program's database");
            }
        } catch (SQLException e) {
            if (isCorrupt(e)) {
                throw damaged(file, sqliteSays(e));
            }
            throw e;
        }
        if (!known) {
            StoreHealthRecord.record(file, before);
        }
    }

    /** Why {@code file} cannot be an SQLite database at all (empty, or another kind of file), or null. */
    static String headerProblem(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SQLITE_HEADER.length);
        }
        if (head.length == 0) {
            return "the file is empty";
        }
        return Arrays.equals(head, SQLITE_HEADER) ? null : "the file is not an SQLite database";
    }

    static UserInputException damaged(Path file, String why) {
        return new UserInputException("result store " + file + " is damaged (" + why
                + "); restore it or move it aside. `ftm store check` tells what can be salvaged");
    }

    /** SQLite's own words for a failure, without the driver's decoration. */
    static String sqliteSays(SQLException e) {
        return "SQLite: " + (e instanceof SQLiteException x ? x.getResultCode().message.toLowerCase(Locale.ROOT)
                : e.getMessage());
    }

    static boolean isCorrupt(SQLException e) {
        // extended codes (SQLITE_CORRUPT_INDEX, ...) share the primary code's low byte
        int primary = e instanceof SQLiteException x ? x.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
        return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
    }
}
