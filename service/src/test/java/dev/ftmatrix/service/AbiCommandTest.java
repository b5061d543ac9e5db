package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbiCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("ftm.projectRoot", ".."));

    @TempDir
    Path tmp;

    @Test
    void scanWritesJsonAndSarifAndFailsOnErrors() throws Exception {
        Path json = tmp.resolve("scan.json");
        Path sarif = tmp.resolve("scan.sarif");
        int code = Ftm.run("abi", "scan", ROOT.resolve("abi-checker/src/test/resources/scan/unsafe").toString(),
                "--json", json.toString(), "--sarif", sarif.toString());
        assertEquals(Ftm.CHECK_FAILED, code);
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, doc.get("schema").asInt());
        JsonNode first = doc.get("findings").get(0);
        for (String field : new String[] {"rule", "file", "line", "column", "symbol", "message", "fix"}) {
            assertTrue(first.has(field), field);
        }
        assertEquals("2.1.0", new ObjectMapper().readTree(sarif.toFile()).get("version").asText());
    }

    @Test
    void scanOfAReadyProjectPasses() {
        assertEquals(Ftm.OK, Ftm.run("abi", "scan", ROOT.resolve("fixtures/ft-ready").toString()));
    }

    @Test
    void scanOfAMissingDirectoryIsBadInput() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("abi", "scan", tmp.resolve("missing").toString()));
    }

    @Test
    void diffOfTwoGilBuildsIsBadInput() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("abi", "diff", "cp313", "cp313", "--no-install"));
    }

    @Test
    void binaryNeedsTheVariantItChecksAgainst() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("abi", "binary", tmp.toString()));
    }

    @Test
    @Tag("slow")
    void diffReportsThePyObjectLayouts() throws Exception {
        Path json = tmp.resolve("delta.json");
        assertEquals(Ftm.OK, Ftm.run("abi", "diff", "cp313", "cp313t", "--json", json.toString(),
                "--html", tmp.resolve("delta.html").toString()));
        assertTrue(Files.readString(tmp.resolve("delta.html")).contains("<td><code>PyObject</code></td>"),
                "--html writes the section the site shows");
        assertTrue(Files.readString(tmp.resolve("delta.html")).contains("<td><code>PyObject</code></td>"),
                "--html writes the section the site shows");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        for (JsonNode s : doc.get("structs")) {
            if (s.get("name").asText().equals("PyObject")) {
                assertEquals(16, s.at("/gil/size").asInt());
                assertEquals(32, s.at("/ft/size").asInt());
                return;
            }
        }
        throw new AssertionError("no PyObject in " + json);
    }
}
