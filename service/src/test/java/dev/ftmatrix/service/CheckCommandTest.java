package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class CheckCommandTest {
    static final Path ROOT = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void racyFixtureIsFtFailuresOnlyOnTheFreeThreadedBuildAndFailsTheCheck() throws Exception {
        Path json = tmp.resolve("out/result.json");
        int code = Ftm.run("check", ROOT.resolve("fixtures/ft-racy").toString(), "--variants", "cp313,cp313t",
                "--json", json.toString(), "--work", tmp.resolve("work").toString());
        assertEquals(1, code, "ft-failures is in the default --fail-on");
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, r.get("schema").asInt());
        assertEquals("ft-racy", r.get("project").asText());
        assertTrue(r.get("fingerprint").asText().startsWith("sha256:"));
        JsonNode gil = r.get("variants").get("cp313");
        JsonNode ft = r.get("variants").get("cp313t");
        assertTrue(gil.get("build").get("ok").asBoolean());
        assertEquals("", gil.get("build").get("reason").asText());
        assertEquals("ready", gil.get("verdict").asText());
        assertTrue(gil.get("gilEnabledAfterImport").asBoolean(), "the GIL build always has its GIL");
        assertEquals("ft-failures", ft.get("verdict").asText());
        assertFalse(ft.get("gilEnabledAfterImport").asBoolean());
        boolean sawRace = false;
        for (JsonNode t : ft.get("tests")) {
            if (t.get("id").asText().endsWith("test_counter_from_many_threads")) {
                assertEquals("fail", t.get("outcome").asText());
                sawRace = true;
            } else {
                assertEquals("pass", t.get("outcome").asText(), t.toString());
            }
        }
        assertTrue(sawRace);
        assertTrue(r.get("declaresFreeThreading").asBoolean());

        // the same project with ft-failures allowed passes the check
        assertEquals(0, Ftm.run("check", ROOT.resolve("fixtures/ft-racy").toString(), "--variants", "cp313",
                "--fail-on", "crash", "--work", tmp.resolve("work2").toString()));
    }
}
