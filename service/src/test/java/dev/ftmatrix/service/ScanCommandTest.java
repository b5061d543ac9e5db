package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    @TempDir
    Path tmp;

    private JsonNode scan(String source, String... more) throws Exception {
        Path out = tmp.resolve("scan.json");
        Files.deleteIfExists(out);
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"scan", source, "--json", out.toString(), "--cache", tmp.resolve("cache").toString()},
                0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        assertEquals(Ftm.OK, Ftm.run(args));
        return new ObjectMapper().readTree(out.toFile());
    }

    @Test
    void scansTheReadyFixtureAndWritesJson() throws Exception {
        Path fixture = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures/ft-ready");
        JsonNode j = scan(fixture.toString(), "--no-wheels");
        assertEquals(1, j.path("schema").asInt());
        assertTrue(j.path("declaresFreeThreading").asBoolean(), j.toString());
        assertEquals("not-used", j.path("modules").path(0).path("declaration").asText());
        assertTrue(j.path("publishedWheels").isNull());
    }

    @Test
    void markupsafeReleasesFromPypi() throws Exception {
        JsonNode ready = scan("pypi:markupsafe==3.0.0");
        assertTrue(ready.path("declaresFreeThreading").asBoolean());
        assertEquals("c-api", ready.path("modules").path(0).path("bindingLayer").asText());
        assertTrue(ready.path("publishedWheels").path("variants").path("cp313t").path("available").asBoolean());

        JsonNode old = scan("pypi:markupsafe==2.1.5");
        assertEquals(false, old.path("declaresFreeThreading").asBoolean(true));
        assertEquals("absent", old.path("modules").path(0).path("declaration").asText());

        JsonNode again = scan("pypi:markupsafe==3.0.0");
        assertEquals(ready.path("modules"), again.path("modules"), "the kept scan is the same scan");
    }

    @Test
    void againstWheelComparesTheModulesWithTheReleasesLinuxWheel() throws Exception {
        JsonNode j = scan("pypi:markupsafe==3.0.0", "--against-wheel", "--no-wheels");
        JsonNode a = j.path("againstWheel");
        assertTrue(a.path("matches").asBoolean(), a.toString());
        assertTrue(a.path("wheel").asText().contains("-cp313-cp313-manylinux"), a.toString());
        assertEquals("markupsafe._speedups", a.path("wheelModules").path(0).asText());
        assertEquals("shipped", j.path("modules").path(0).path("role").asText());
        JsonNode again = scan("pypi:markupsafe==3.0.0", "--no-wheels");
        assertTrue(again.path("againstWheel").isMissingNode() || again.path("againstWheel").isNull(),
                "the kept scan does not keep the comparison");
    }

    @Test
    void aBadSourceIsAUserError() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("scan", "pypi:markupsafe", "--cache", tmp.resolve("c").toString()));
        assertEquals(Ftm.BAD_INPUT, Ftm.run("scan", tmp.resolve("missing").toString(), "--cache",
                tmp.resolve("c").toString()));
    }
}
