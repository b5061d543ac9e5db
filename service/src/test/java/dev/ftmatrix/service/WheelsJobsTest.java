package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ftm wheels --matrix FILE --store DIR --workers N} on real releases from the index: one job per release in
 * the store's JobRunr queue, each checked on the real cp313t toolchain and stored; a second run finds every job's
 * result stored and checks nothing; the site then shows the published wheels.
 */
@Tag("slow")
class WheelsJobsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void aMatrixOfReleasesRunsAsJobsIntoTheStoreAndOntoTheSite() throws Exception {
        Path matrix = dir.resolve("wheels.txt");
        // blake3 1.0.1's cp313t wheel re-enables the GIL; 1.0.8's keeps it off (see PublishedWheelsTest)
        Files.writeString(matrix, "# two releases of one project\npypi:blake3==1.0.1\nblake3==1.0.8\n");
        Path store = dir.resolve("results");
        Path json = dir.resolve("first.json");
        int first = Ftm.run("wheels", "--matrix", matrix.toString(), "--store", store.toString(), "--workers", "2",
                "--json", json.toString(), "--fail-on", "");
        assertEquals(Ftm.OK, first);
        JsonNode releases = new ObjectMapper().readTree(json.toFile()).path("releases");
        assertEquals("wheel-reenables-gil", releases.get(0).path("variants").path("cp313t").path("verdict").asText());
        assertEquals("blake3.blake3", releases.get(0).path("variants").path("cp313t").path("gilReenabledBy").get(0).asText());
        assertEquals("wheel-ready", releases.get(1).path("variants").path("cp313t").path("verdict").asText());
        try (WheelStore wheels = WheelStore.readOnly(StoreLocation.sqlite(store))) {
            assertEquals(2, wheels.count());
        }

        // the same matrix again: every job finds its result stored
        assertEquals(Ftm.OK, Ftm.run("wheels", "--matrix", matrix.toString(), "--store", store.toString(),
                "--workers", "1", "--fail-on", ""));
        try (WheelStore wheels = WheelStore.readOnly(StoreLocation.sqlite(store))) {
            assertEquals(2, wheels.count(), "nothing was checked or stored twice");
            Map<String, List<WheelStore.Row>> all = wheels.all();
            assertEquals("1.0.8", WheelSite.of("blake3", all.get("blake3")).firstReady().get("cp313t").version());
        }

        Path site = dir.resolve("site");
        assertEquals(Ftm.OK, Ftm.run("site", "--results", store.toString(), "--out", site.toString()));
        String page = Files.readString(site.resolve("wheels.html"));
        assertTrue(page.contains("blake3.blake3") && page.contains("1.0.8"), page);
    }

    @Test
    @Timeout(300)
    void depsKeepsEveryReleaseItChecksAndReadsThemBackTheNextTime() throws Exception {
        Path requirements = dir.resolve("requirements.txt");
        Files.writeString(requirements, "blake3==1.0.1\n");
        Path store = dir.resolve("results");
        Path first = dir.resolve("first.json");
        Ftm.run("deps", requirements.toString(), "--probe", "2", "--store", store.toString(), "--json", first.toString());
        long stored;
        try (WheelStore wheels = WheelStore.readOnly(StoreLocation.sqlite(store))) {
            stored = wheels.count();
            // the pinned release and the releases probed for the first ready one
            assertTrue(stored >= 2, "stored " + stored);
        }
        Path second = dir.resolve("second.json");
        Ftm.run("deps", requirements.toString(), "--probe", "2", "--store", store.toString(), "--json", second.toString());
        try (WheelStore wheels = WheelStore.readOnly(StoreLocation.sqlite(store))) {
            assertEquals(stored, wheels.count(), "the second run read every release from the store");
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(first.toFile()).path("dependencies");
        JsonNode b = json.readTree(second.toFile()).path("dependencies");
        assertEquals(a.get(0).path("firstReady"), b.get(0).path("firstReady"));
        assertEquals(a.get(0).path("verdict"), b.get(0).path("verdict"));
        assertEquals("wheel-reenables-gil", b.get(0).path("verdict").asText());
    }
}
