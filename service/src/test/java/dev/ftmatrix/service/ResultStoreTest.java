package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    @TempDir
    Path dir;

    static CheckResult result(String project, String at, String fingerprint, Verdict ft) {
        Variant v = Variant.parse("cp313t");
        VariantResult vr = new VariantResult(v, "cp313t 3.13.5 (debian-source)",
                new BuildResult(true, "", List.of(project + "-1.0-cp313-cp313t-linux_x86_64.whl"), "built", 1200),
                List.of(project), false, "", List.of(new TestResult("tests/test_a.py::test_a", TestOutcome.PASS, "", 3)),
                ft, "reason for " + ft.word(), "none", List.of());
        return new CheckResult(CheckResult.SCHEMA, project, "git+file:///x/" + project, fingerprint, true, null, List.of(),
                CheckResult.byId(Map.of(v, vr)), at);
    }

    @Test
    void keepsEveryResultAndAnswersLatestAndHistory() {
        try (ResultStore store = new ResultStore(dir)) {
            CheckResult first = result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.FT_FAILURES);
            CheckResult second = result("alpha", "2026-11-02T10:00:00Z", "git:2", Verdict.READY);
            store.put(first);
            store.put(result("beta", "2026-11-01T11:00:00Z", "git:b", Verdict.CRASH));
            store.put(second);
            assertEquals(second, store.latest("alpha").orElseThrow());
            assertEquals(List.of(first, second), store.history("alpha"));
            assertEquals(List.of("alpha", "beta"), store.allLatest().stream().map(CheckResult::project).toList());
            assertEquals(second, store.allLatest().getFirst());
            assertEquals(List.of(first, second), store.history().get("alpha"));
            assertTrue(store.latest("gamma").isEmpty());
            assertEquals(3, store.count());
        }
        try (ResultStore reopened = new ResultStore(dir)) {
            assertEquals("git:2", reopened.latest("alpha").orElseThrow().fingerprint());
        }
    }

    @Test
    void usesWalAndRefusesToOverwriteOrDeleteResults() throws SQLException {
        try (ResultStore store = new ResultStore(dir)) {
            store.put(result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            SQLException update = assertThrows(SQLException.class, () -> s.execute("UPDATE results SET fingerprint = 'x'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.execute("DELETE FROM results"));
            try (ResultSet rs = s.executeQuery("SELECT variant, verdict, toolchain FROM variant_results")) {
                rs.next();
                assertEquals("cp313t ready cp313t 3.13.5 (debian-source)",
                        rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
    }

    @Test
    void aWriterKilledWithSigkillLosesNoResultItReportedStored() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StoreKillWriter.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> reported = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (reported.size() < 40 && (line = out.readLine()) != null) {
                reported.add(line.substring("stored ".length()));
            }
            child.destroyForcibly();   // SIGKILL, mid-way through the next write
            child.waitFor();
        }
        assertEquals(40, reported.size(), "the child stored results before it was killed");
        assertTrue(Files.exists(dir.resolve(ResultStore.FILE + "-wal")), "a killed WAL writer leaves its log behind");
        try (ResultStore store = new ResultStore(dir)) {
            Set<String> stored = new HashSet<>();
            store.allLatest().forEach(r -> stored.add(r.project()));
            assertTrue(stored.containsAll(reported), "lost: " + reported.stream().filter(p -> !stored.contains(p)).toList());
            for (String p : reported) {
                CheckResult r = store.latest(p).orElseThrow();
                assertEquals("fp-" + p.substring(2), r.fingerprint());
                assertEquals(Verdict.READY, r.variants().get("cp313t").verdict());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
    }

    @Test
    void importsTheResultsOfTheEarlierJsonFileStoreOnce() throws Exception {
        CheckResult old = result("alpha", "2026-10-01T10:00:00Z", "git:0", Verdict.WORKS_UNDECLARED);
        Path file = Files.createDirectories(dir.resolve("history/alpha")).resolve("2026-10-01T10-00-00Z.json");
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(file.toFile(), old);
        try (ResultStore store = new ResultStore(dir)) {
            assertEquals(List.of(old), store.history("alpha"));
        }
        try (ResultStore again = new ResultStore(dir)) {
            assertEquals(1, again.count());
        }
    }

    @Test
    void variantResultsAreAppendOnlyToo() throws SQLException {
        try (ResultStore store = new ResultStore(dir)) {
            store.put(result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.FT_FAILURES));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> s.execute("UPDATE variant_results SET verdict = 'ready'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.execute("DELETE FROM variant_results"));
        }
    }

    /** A store with enough results to span many pages. */
    private Path filledStore() {
        try (ResultStore store = new ResultStore(dir)) {
            for (int i = 0; i < 300; i++) {
                store.put(result("p-" + i, "2026-11-01T10:00:00Z", "git:" + i, Verdict.READY));
            }
        }
        return dir.resolve(ResultStore.FILE);
    }

    /** Opening {@code file}'s store, to write or to read, refuses it as damaged and leaves its bytes as they were. */
    private void refusedAsDamaged(Path file, String why) throws Exception {
        byte[] before = Files.readAllBytes(file);
        for (boolean readOnly : new boolean[] {false, true}) {
            dev.ftmatrix.core.UserInputException e = assertThrows(dev.ftmatrix.core.UserInputException.class,
                    () -> (readOnly ? ResultStore.readOnly(dir) : new ResultStore(dir)).close());
            assertTrue(e.getMessage().startsWith("result store " + file.toAbsolutePath() + " is damaged")
                    && e.getMessage().contains("restore it or move it aside") && e.getMessage().contains(why),
                    e.getMessage());
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the damaged file was changed");
        }
    }

    @Test
    void anEmptyFileIsDamagedNotANewStore() throws Exception {
        Files.createDirectories(dir);
        Path file = Files.createFile(dir.resolve(ResultStore.FILE));
        refusedAsDamaged(file, "empty");
        assertEquals(0, Files.size(file));
    }

    @Test
    void aFileCutShortIsDamaged() throws Exception {
        Path file = filledStore();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        refusedAsDamaged(file, "");
    }

    @Test
    void aJunkPageThatFailsTheQuickCheckIsDamaged() throws Exception {
        Path file = filledStore();
        byte[] all = Files.readAllBytes(file);
        int page = 4096;
        java.util.Arrays.fill(all, (all.length / page / 2) * page, (all.length / page / 2 + 1) * page, (byte) 0xAB);
        Files.write(file, all);
        refusedAsDamaged(file, "");   // the quick check's report, or SQLite's 'malformed' when the check trips on it
    }

    @Test
    void aStoreLeftAsItsWriterLeftItIsNotReadThroughAgainButAnyChangeIs() throws Exception {
        Path file = filledStore();
        assertTrue(StoreHealthRecord.healthy(file), "its writer vouched for the file it checked and appended to");
        ResultStore.readOnly(dir).close();
        assertTrue(StoreHealthRecord.healthy(file), "a read-only open changes nothing");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(file);
        byte[] all = Files.readAllBytes(file);
        int page = 4096;
        java.util.Arrays.fill(all, (all.length / page / 2) * page, (all.length / page / 2 + 1) * page, (byte) 0xAB);
        Files.write(file, all);
        Files.setLastModifiedTime(file, mtime);   // same size, same modification time: the inode's change time tells
        assertFalse(StoreHealthRecord.healthy(file));
        refusedAsDamaged(file, "");
    }

    @Test
    void aForeignFileIsRefused() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ResultStore.FILE), "name,verdict\nalpha,ready\n");
        refusedAsDamaged(dir.resolve(ResultStore.FILE), "not an SQLite database");
        Files.delete(dir.resolve(ResultStore.FILE));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)");
        }
        refusedAsDamaged(dir.resolve(ResultStore.FILE), "another program's database");
    }

    @Test
    void aReadOnlyStoreNeitherCreatesNorChangesAnything() throws Exception {
        assertThrows(dev.ftmatrix.core.UserInputException.class, () -> ResultStore.readOnly(dir.resolve("none")));
        assertTrue(Files.notExists(dir.resolve("none")));
        filledStore();
        try (ResultStore ro = ResultStore.readOnly(dir)) {
            assertEquals(300, ro.count());
            assertThrows(IllegalStateException.class,
                    () -> ro.put(result("new", "2026-11-02T10:00:00Z", "git:n", Verdict.READY)));
        }
        try (ResultStore rw = new ResultStore(dir)) {
            assertEquals(300, rw.count());
        }
    }

    @Test
    void siteOfADamagedStoreIsExitTwoAndTheFileStaysAsItWas() throws Exception {
        Files.createDirectories(dir);
        Path file = Files.createFile(dir.resolve(ResultStore.FILE));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Ftm.BAD_INPUT, Ftm.run("site", "--results", dir.toString(), "--out", dir.resolve("site").toString()));
        } finally {
            System.setErr(old);
        }
        String out = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(out.startsWith("ftm: result store ") && out.contains("is damaged") && !out.contains("\n"), out);
        assertEquals(0, Files.size(file));
        assertTrue(Files.notExists(dir.resolve("site")));
    }
}
