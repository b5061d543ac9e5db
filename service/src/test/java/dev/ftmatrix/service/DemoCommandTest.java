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

@Tag("slow")
class DemoCommandTest {
    @TempDir
    Path out;

    private JsonNode latest(String project) throws Exception {
        try (ResultStore store = new ResultStore(out.resolve("results"))) {
            return CheckCommand.JSON.valueToTree(store.latest(project).orElseThrow());
        }
    }

    @Test
    void demoMatrixGivesEachFixtureItsVerdictAndRendersTheSite() throws Exception {
        assertEquals(0, Ftm.run("demo", "--root", CheckCommandTest.ROOT.toString(), "--out", out.toString()));

        JsonNode ready = latest("ft-ready");
        assertTrue(ready.get("source").asText().startsWith("git+file:"), ready.get("source").asText());
        assertTrue(ready.get("fingerprint").asText().matches("git:[0-9a-f]{40}"));
        assertEquals("ready", ready.get("variants").get("cp313t").get("verdict").asText());
        assertEquals("ready", ready.get("variants").get("cp313").get("verdict").asText());

        JsonNode undeclared = latest("ft-undeclared").get("variants").get("cp313t");
        assertEquals("works-undeclared", undeclared.get("verdict").asText());
        assertEquals("ftundeclared", undeclared.get("gilReenabledBy").asText());
        assertTrue(undeclared.get("verdictReason").asText().contains("ftundeclared"));

        assertEquals("ft-failures", latest("ft-racy").get("variants").get("cp313t").get("verdict").asText());

        JsonNode skipped = ready.get("variants").get("cp314t");
        assertEquals("skipped", skipped.get("verdict").asText());
        assertTrue(skipped.get("verdictReason").asText().contains("--python"), skipped.toString());

        String index = Files.readString(out.resolve("site/index.html"));
        assertTrue(index.contains("works-undeclared") && index.contains("ft-failures") && index.contains("ft-racy"));
        JsonNode api = new ObjectMapper().readTree(out.resolve("site/api/v1/matrix.json").toFile());
        assertEquals(3, api.get("projects").size());
        assertTrue(Files.exists(out.resolve("site/api/v1/projects/ft-racy.json")));
        assertTrue(Files.exists(out.resolve("site/badges/ft-undeclared/cp313t.json")));

        // a second run finds every source unchanged and redoes nothing
        String finished = ready.get("finishedAt").asText();
        assertEquals(0, Ftm.run("demo", "--root", CheckCommandTest.ROOT.toString(), "--out", out.toString()));
        assertEquals(finished, latest("ft-ready").get("finishedAt").asText());
    }
}
