package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.dashboard.PublishedWheels;
import dev.ftmatrix.wheels.Dependencies;
import dev.ftmatrix.builder.ModuleImport;
import dev.ftmatrix.wheels.PublishedWheel;
import dev.ftmatrix.wheels.WheelReport;
import dev.ftmatrix.wheels.WheelResult;
import dev.ftmatrix.wheels.WheelVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Published-wheel checks in the result store (migration V3, both databases): appended per (project, release, variant),
 * never changed, read back as the site's view with the latest release and the first release found ready.
 */
class WheelStoreTest {
    @TempDir
    Path dir;

    /** A cp313t check of {@code version}: its modules imported, those in {@code reenabling} turning the GIL on. */
    static WheelReport report(String project, String version, WheelVerdict verdict, List<String> reenabling) {
        List<ModuleImport> modules = new java.util.ArrayList<>(List.of(new ModuleImport(project + "._speedups", true,
                "", !reenabling.isEmpty(), reenabling, "")));
        WheelResult w = new WheelResult("cp313t", verdict, verdict.word() + " because", verdict == WheelVerdict.NO_WHEEL
                ? null : new PublishedWheel(project + "-" + version + "-cp313-cp313t-manylinux_2_17_x86_64.whl",
                "https://files.example/" + project, "ab"), verdict == WheelVerdict.NO_WHEEL ? List.of() : modules,
                reenabling, List.of(), List.of(), List.of(), new Dependencies(List.of("six==1.0"), ""), "container", 10);
        return new WheelReport(WheelReport.SCHEMA, project, version, "pypi:" + project + "==" + version,
                Map.of("cp313t", w));
    }

    @Test
    void keepsEveryCheckAndShowsTheLatestReleaseAndTheFirstReadyOne() {
        StoreLocation at = StoreLocation.sqlite(dir);
        try (WheelStore store = WheelStore.open(at)) {
            store.put(report("Demo_Wheels", "1.10.0", WheelVerdict.WHEEL_READY, List.of()), v -> "cp313t-x");
            store.put(report("Demo_Wheels", "1.9.0", WheelVerdict.WHEEL_REENABLES_GIL, List.of("demo._speedups")), v -> "cp313t-x");
            store.put(report("Demo_Wheels", "1.2.0", WheelVerdict.NO_WHEEL, List.of()), v -> "cp313t-x");
            store.put(report("other", "2.0rc1", WheelVerdict.ERROR, List.of()), v -> "cp313t-x");
            assertEquals(4, store.count());
            assertTrue(store.has("Demo_Wheels", "1.9.0", "cp313t", "cp313t-x"));
            assertFalse(store.has("Demo_Wheels", "1.9.0", "cp313t", "cp313t-other-toolchain"));
            assertFalse(store.has("other", "2.0rc1", "cp313t", "cp313t-x"), "ftm's own failure is redone, not kept");
        }
        try (WheelStore reader = WheelStore.readOnly(at)) {
            Map<String, List<WheelStore.Row>> all = reader.all();
            assertEquals(List.of("Demo_Wheels", "other"), List.copyOf(all.keySet()));
            PublishedWheels p = WheelSite.of("Demo_Wheels", all.get("Demo_Wheels"));
            // 1.10.0 > 1.9.0 > 1.2.0 as PEP 440 orders them, not as text does
            assertEquals("1.10.0", p.latest().get("cp313t").version());
            assertEquals("1.10.0", p.firstReady().get("cp313t").version());
            assertEquals(3, p.firstReady().get("cp313t").releasesChecked());
            assertEquals("1.2.0", p.history().getFirst().version(), "history is newest first");
            assertEquals(List.of("demo._speedups"), p.history().get(1).gilReenabledBy());
            assertThrows(IllegalStateException.class, () -> reader.put(report("x", "1", WheelVerdict.WHEEL_READY,
                    List.of()), v -> ""));
        }
        // a later check of an older release that is ready moves the first ready release back
        try (WheelStore store = WheelStore.open(at)) {
            store.put(report("Demo_Wheels", "1.9.0.post1", WheelVerdict.WHEEL_READY, List.of()), v -> "cp313t-x");
            PublishedWheels p = WheelSite.of("Demo_Wheels", store.all().get("Demo_Wheels"));
            assertEquals("1.9.0.post1", p.firstReady().get("cp313t").version());
            assertEquals("1.10.0", p.latest().get("cp313t").version());
        }
    }

    @Test
    void sqliteRefusesToUpdateOrDeleteWheelChecks() throws SQLException {
        try (WheelStore store = WheelStore.open(StoreLocation.sqlite(dir))) {
            store.put(report("alpha", "1.0", WheelVerdict.WHEEL_READY, List.of()), v -> "t");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement()) {
            for (String sql : List.of("UPDATE wheel_results SET verdict = 'wheel-ready'", "DELETE FROM wheel_results")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), sql + ": " + e.getMessage());
            }
        }
    }

    @Test
    void postgresKeepsWheelChecksAppendOnly() throws Exception {
        String url = PostgresServer.freshDatabase();
        StoreLocation at = StoreLocation.parse(url, dir);
        try (WheelStore store = WheelStore.open(at)) {
            store.put(report("alpha", "1.0", WheelVerdict.WHEEL_REENABLES_GIL, List.of("alpha._speedups")), v -> "t");
            store.put(report("alpha", "1.1", WheelVerdict.WHEEL_READY, List.of()), v -> "t");
        }
        try (WheelStore reader = WheelStore.readOnly(at)) {
            PublishedWheels p = WheelSite.of("alpha", reader.all().get("alpha"));
            assertEquals("1.1", p.firstReady().get("cp313t").version());
            assertEquals(List.of("alpha._speedups"), p.history().get(1).gilReenabledBy());
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : List.of("UPDATE wheel_results SET verdict = 'x'", "DELETE FROM wheel_results",
                    "TRUNCATE wheel_results")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), sql + ": " + e.getMessage());
            }
        }
    }

    @Test
    void theSiteShowsPublishedWheelsBesideTheMatrixWithApiAndBadges() throws Exception {
        Path results = dir.resolve("results");
        try (ResultStore builds = new ResultStore(results); WheelStore wheels = WheelStore.open(StoreLocation.sqlite(results))) {
            CheckResult build = ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY);
            builds.put(build);
            wheels.put(report("alpha", "1.0", WheelVerdict.WHEEL_REENABLES_GIL, List.of("alpha._speedups")), v -> "t");
            wheels.put(report("alpha", "1.1", WheelVerdict.WHEEL_READY, List.of()), v -> "t");
        }
        Path out = dir.resolve("site");
        assertEquals(Ftm.OK, Ftm.run("site", "--results", results.toString(), "--out", out.toString(), "--name", "t"));
        assertTrue(Files.readString(out.resolve("index.html")).contains("href=\"wheels.html\""));
        String page = Files.readString(out.resolve("wheels.html"));
        assertTrue(page.contains("wheel-ready") && page.contains("alpha._speedups"), page);
        JsonNode api = new ObjectMapper().readTree(out.resolve("api/v1/wheels/alpha.json").toFile());
        assertEquals("1.1", api.path("latest").path("cp313t").path("version").asText());
        assertEquals("1.1", api.path("firstReady").path("cp313t").path("version").asText());
        assertEquals(2, api.path("history").size());
        JsonNode badge = new ObjectMapper().readTree(out.resolve("badges/alpha/wheel-cp313t.json").toFile());
        assertEquals("wheel-ready", badge.path("message").asText());
        assertTrue(Files.readString(out.resolve("badges/alpha/wheel-cp313t.svg")).contains("cp313t wheel: wheel-ready"));
    }

    @Test
    void aStoreWithoutWheelChecksHasNoWheelsView() throws Exception {
        Path results = dir.resolve("results");
        try (ResultStore builds = new ResultStore(results)) {
            builds.put(ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY));
        }
        Path out = dir.resolve("site");
        assertEquals(Ftm.OK, Ftm.run("site", "--results", results.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out.resolve("wheels.html")));
        assertFalse(Files.readString(out.resolve("index.html")).contains("wheels.html"));
    }
}
