package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchCommandTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("slow")
    void cythonPinnedBelow31FailsAsPinnedAndIsReadyOnceUpgraded() throws Exception {
        Path json = tmp.resolve("patch.json");
        int code = Ftm.run("patch", CheckCommandTest.ROOT.resolve("fixtures/cython-pinned").toString(), "--json",
                json.toString(), "--work", tmp.resolve("work").toString());
        assertEquals(0, code);
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals("cp313t", r.get("variant").asText());
        assertEquals("cython", r.get("pins").get(0).get("layer").asText());
        assertTrue(r.get("pins").get(0).get("tooOld").asBoolean());
        assertEquals("build-failed", r.get("pinned").get("verdict").asText());
        JsonNode p = r.get("patched").get(0);
        assertEquals("ready", p.get("patched").asText(), p.toString());
        assertTrue(p.get("how").asText().contains("Cython>=3.1"), p.toString());
    }

    @Test
    void aGilVariantOrADirectoryWithoutAProjectIsBadInput() {
        assertEquals(2, Ftm.run("patch", CheckCommandTest.ROOT.resolve("fixtures/cython-pinned").toString(), "--variant", "cp313"));
        assertEquals(2, Ftm.run("patch", tmp.toString()));
    }
}
