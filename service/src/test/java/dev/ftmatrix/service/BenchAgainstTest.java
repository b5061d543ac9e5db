package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ftm bench --against pytest-run-parallel} end to end: a real build, both runs, the comparison. */
class BenchAgainstTest {
    @TempDir
    Path tmp;

    @Test
    void onlyPytestRunParallelAndOnlyWithASource() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("bench", "--against", "pytest-xdist", "fixtures/ft-ready"));
        assertEquals(Ftm.BAD_INPUT, Ftm.run("bench", "--against", "pytest-run-parallel"));
    }

    @Test
    @Tag("slow")
    void runsTheSameTestsBothWaysAndSaysWhereTheTimeWent() throws Exception {
        Path json = tmp.resolve("bench.json");
        int exit = Ftm.run("bench", "--against", "pytest-run-parallel",
                CheckCommandTest.ROOT.resolve("fixtures/ft-ready").toString(), "--variant", "cp313t", "--threads", "2",
                "--work", tmp.resolve("work").toString(), "--json", json.toString());
        assertEquals(Ftm.OK, exit);
        JsonNode f = new ObjectMapper().readTree(json.toFile());
        assertEquals("", f.get("error").asText());
        assertTrue(f.get("ftmTests").size() > 0, f.toString());
        assertEquals(f.get("ftmTests").size(), f.get("referenceTests").size(), f.toString());
        assertEquals(0, f.get("ftmFailing").size(), f.toString());
        assertEquals(0, f.get("referenceFailing").size(), f.toString());
        assertTrue(f.get("harness").get("tests concurrently").asLong() > 0, f.toString());
        assertTrue(f.get("harness").get("collection").asLong() > 0, f.toString());
        assertTrue(f.get("reference").get("tests").asLong() > 0, f.toString());
        assertTrue(f.get("referenceMillis").asLong() > 0 && f.get("harnessMillis").asLong() > 0, f.toString());
        assertTrue(f.get("ratio").asDouble() > 0, f.toString());
    }
}
