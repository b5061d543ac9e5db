package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.Verdict;
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

/** The header delta as a stored record: once per toolchain pair, append-only, on both databases, rendered by the site. */
class HeaderDeltasTest {
    private static final Variant CP313 = Variant.parse("cp313");
    private static final Variant CP313T = Variant.parse("cp313t");

    @TempDir
    Path dir;

    static HeaderDelta delta(String gil, String ft, int pyObjectFtSize) {
        return new HeaderDelta(HeaderDelta.SCHEMA, "3.13.5", gil, ft,
                List.of(new HeaderDelta.StructDelta("PyObject", "object.h", 120,
                        new HeaderDelta.Layout(16, 8, Map.of("ob_type", 8L)),
                        new HeaderDelta.Layout(pyObjectFtSize, 8, Map.of("ob_type", 24L)), true)),
                List.of(new HeaderDelta.Definition("Py_INCREF", "inline", "object.h", 10, "a", 12, "b")),
                new HeaderDelta.Symbols("libpython3.13.so.1.0", "libpython3.13t.so.1.0", 10, 12, List.of(),
                        List.of("PyMutex_Lock")),
                List.of());
    }

    @Test
    void aDeltaIsStoredOncePerToolchainPairAndTheNewestOfAVariantPairIsRead() throws Exception {
        for (StoreLocation at : List.of(StoreLocation.sqlite(dir), StoreLocation.parse(PostgresServer.freshDatabase(), dir))) {
            try (ResultStore store = ResultStore.open(at, false)) {
                HeaderDeltas deltas = store.headerDeltas();
                assertFalse(deltas.has("cp313 3.13.5 (debian-source)", "cp313t 3.13.5 (debian-source)"), at.describe());
                assertEquals(Map.of(), deltas.latest());
                HeaderDelta old = delta("cp313 3.13.5 (debian-source)", "cp313t 3.13.5 (debian-source)", 32);
                deltas.put(CP313, CP313T, old);
                assertTrue(deltas.has("cp313 3.13.5 (debian-source)", "cp313t 3.13.5 (debian-source)"));
                assertFalse(deltas.has("cp313 3.13.5 (debian-source)", "cp313t 3.13.6 (tarball)"), "another toolchain");
                assertEquals(Map.of("cp313t", old), deltas.latest());
                HeaderDelta rebuilt = delta("cp313 3.13.6 (tarball)", "cp313t 3.13.6 (tarball)", 40);
                deltas.put(CP313, CP313T, rebuilt);
                assertEquals(Map.of("cp313t", rebuilt), deltas.latest(), "the newest of the pair");
            }
            try (ResultStore reader = ResultStore.open(at, true)) {
                assertEquals(40, reader.headerDeltas().latest().get("cp313t").structs().getFirst().ft().size());
            }
        }
    }

    @Test
    void storedDeltasAreAppendOnlyOnBothDatabases() throws Exception {
        String url = PostgresServer.freshDatabase();
        try (ResultStore store = ResultStore.open(StoreLocation.parse(url, dir), false);
             ResultStore lite = new ResultStore(dir)) {
            store.headerDeltas().put(CP313, CP313T, delta("g", "f", 32));
            lite.headerDeltas().put(CP313, CP313T, delta("g", "f", 32));
        }
        try (Connection pg = DriverManager.getConnection(url);
             Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE))) {
            for (Connection c : List.of(pg, sqlite)) {
                try (Statement s = c.createStatement()) {
                    for (String sql : List.of("UPDATE header_deltas SET delta_json = '{}'", "DELETE FROM header_deltas")) {
                        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                        assertTrue(e.getMessage().contains("append-only"), sql + ": " + e.getMessage());
                    }
                }
            }
            try (Statement s = pg.createStatement()) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute("TRUNCATE header_deltas"));
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
        }
    }

    @Test
    void theSiteRendersTheStoredDeltaOfItsFreeThreadedColumnsOnly() throws Exception {
        Path site = dir.resolve("site");
        try (ResultStore store = new ResultStore(dir.resolve("results"))) {
            store.put(ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY));
            SiteBuild.render(store, "t", null, site);
            assertFalse(Files.exists(site.resolve("abi.html")), "no delta stored: no page");

            store.headerDeltas().put(CP313, CP313T, delta("cp313 3.13.5 (debian-source)",
                    "cp313t 3.13.5 (debian-source)", 32));
            store.headerDeltas().put(Variant.parse("cp314"), Variant.parse("cp314t"),
                    delta("cp314 3.14.0 (tarball)", "cp314t 3.14.0 (tarball)", 32));
            SiteBuild.render(store, "t", null, site);
            String page = Files.readString(site.resolve("abi.html"));
            assertTrue(page.contains("<p>cp313 3.13.5 (debian-source) vs cp313t 3.13.5 (debian-source)</p>"), page);
            assertTrue(page.contains("<tr><td><code>PyObject</code></td><td>object.h:120</td><td>16</td><td>32</td>"),
                    page);
            assertFalse(page.contains("cp314t"), "cp314t is no column of this site");
            assertTrue(Files.readString(site.resolve("index.html")).contains("<a href=\"abi.html\">"));
        }
    }

    @Test
    void aReadOnlyStoreMadeBeforeTheDeltaTableHasNoDeltas() throws Exception {
        try (ResultStore store = new ResultStore(dir)) {
            store.put(ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResultStore.FILE));
             Statement s = c.createStatement()) {
            // as a store of the version before (migrated to 2) holds it
            s.execute("DROP TABLE header_deltas");
            s.execute("DELETE FROM flyway_schema_history WHERE version IN ('3', '3.1')");
        }
        try (ResultStore reader = ResultStore.readOnly(dir)) {
            assertEquals(Map.of(), reader.headerDeltas().latest());
        }
    }
}
