package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Verdict;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result store on PostgreSQL (scripts/postgres-up.sh), and what both databases share: migrations, job keys. */
class PostgresResultStoreTest {
    @TempDir
    Path dir;

    @Test
    void keepsEveryResultAndAnswersLatestAndHistoryOnPostgres() throws Exception {
        StoreLocation at = StoreLocation.parse(PostgresServer.freshDatabase(), dir);
        assertTrue(at.postgres());
        CheckResult first = ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.FT_FAILURES);
        CheckResult second = ResultStoreTest.result("alpha", "2026-11-02T10:00:00Z", "git:2", Verdict.READY);
        try (ResultStore store = ResultStore.open(at, false)) {
            store.put(first);
            store.put(ResultStoreTest.result("beta", "2026-11-01T11:00:00Z", "git:b", Verdict.CRASH));
            store.put(second);
            assertEquals(second, store.latest("alpha").orElseThrow());
            assertEquals(List.of(first, second), store.history("alpha"));
            assertEquals(List.of("alpha", "beta"), store.projects());
            assertEquals(3, store.count());
            long last = store.lastId();
            assertEquals(List.of(second), store.since(last - 1));
        }
        try (ResultStore reader = ResultStore.open(at, true)) {
            assertEquals(second, reader.latest("alpha").orElseThrow());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> reader.put(first));
            assertTrue(refused.getMessage().contains("read-only"), refused.getMessage());
        }
    }

    @Test
    void postgresRefusesToUpdateDeleteOrTruncateResults() throws Exception {
        String url = PostgresServer.freshDatabase();
        try (ResultStore store = ResultStore.open(StoreLocation.parse(url, dir), false)) {
            store.put(ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY));
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : List.of("UPDATE results SET project = 'x'", "DELETE FROM results",
                    "UPDATE variant_results SET verdict = 'ready'", "DELETE FROM variant_results",
                    "TRUNCATE variant_results", "TRUNCATE results CASCADE")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), sql + ": " + e.getMessage());
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM results")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void aReadOnlyOpenOfAnEmptyDatabaseSaysWhatToRun() throws Exception {
        StoreLocation at = StoreLocation.parse(PostgresServer.freshDatabase(), dir);
        UserInputException e = assertThrows(UserInputException.class, () -> ResultStore.open(at, true));
        assertTrue(e.getMessage().contains("ftm run"), e.getMessage());
    }

    @Test
    void anUnreachableServerIsBadInputNamingTheFix() {
        StoreLocation at = StoreLocation.parse("jdbc:postgresql://127.0.0.1:1/ftm?user=ftm", dir);
        UserInputException e = assertThrows(UserInputException.class, () -> ResultStore.open(at, false));
        assertTrue(e.getMessage().contains("postgres-up.sh"), e.getMessage());
    }

    @Test
    void aJobFindsItsStoredResultByItsKeyOnBothDatabases() throws Exception {
        for (StoreLocation at : List.of(StoreLocation.sqlite(dir), StoreLocation.parse(PostgresServer.freshDatabase(), dir))) {
            try (ResultStore store = ResultStore.open(at, false)) {
                CheckResult r = ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY);
                CheckResult staged = new CheckResult(r.schema(), r.project(), r.source(), r.fingerprint(),
                        r.declaresFreeThreading(), r.facts(), r.findings(), r.variants(), r.finishedAt(), "3");
                String toolchain = r.variants().get("cp313t").toolchain();
                assertFalse(store.has("alpha", "git:1", "cp313t", toolchain, "3"));
                store.put(staged);
                assertTrue(store.has("alpha", "git:1", "cp313t", toolchain, "3"));
                assertFalse(store.has("alpha", "git:2", "cp313t", toolchain, "3"), "another source");
                assertFalse(store.has("alpha", "git:1", "cp313", toolchain, "3"), "another variant");
                assertFalse(store.has("alpha", "git:1", "cp313t", "other", "3"), "another toolchain");
                assertFalse(store.has("alpha", "git:1", "cp313t", toolchain, "4"), "other stages");
            }
        }
    }

    @Test
    void aStoreMadeBeforeMigrationsIsBaselinedAndMigrated() throws Exception {
        // the schema ftm created before Flyway, with a result in it
        java.nio.file.Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE results (id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL,"
                    + " fingerprint TEXT NOT NULL, finished_at TEXT NOT NULL, stored_at TEXT NOT NULL,"
                    + " schema INTEGER NOT NULL, result_json TEXT NOT NULL)");
            s.executeUpdate("CREATE TABLE variant_results (result_id INTEGER NOT NULL REFERENCES results(id),"
                    + " project TEXT NOT NULL, variant TEXT NOT NULL, toolchain TEXT NOT NULL, verdict TEXT NOT NULL,"
                    + " reason TEXT NOT NULL, PRIMARY KEY (result_id, variant))");
            s.executeUpdate("INSERT INTO results(project, fingerprint, finished_at, stored_at, schema, result_json)"
                    + " VALUES ('alpha', 'git:1', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', 1, '"
                    + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                            ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY))
                            .replace("'", "''") + "')");
        }
        try (ResultStore store = new ResultStore(dir)) {
            assertEquals(1, store.count());
            assertEquals("alpha", store.latest("alpha").orElseThrow().project());
            store.put(ResultStoreTest.result("beta", "2026-11-02T10:00:00Z", "git:b", Verdict.READY));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history ORDER BY installed_rank")) {
            List<String> versions = new java.util.ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            assertEquals(List.of("1", "2", "3", "4", "4.1"), versions, "baselined at 1, then migrated to 4.1");
        }
    }
}
