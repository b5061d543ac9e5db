package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
