package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real releases from the index through {@code ftm check pypi:NAME==VERSION}, as a new user would run it: the verdicts
 * their maintainers would agree with, each backed by tests that ran.
 */
class RealProjectsVerdictTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private JsonNode check(String release, String variants, int expectedExit) throws Exception {
        Path json = tmp.resolve("result.json");
        int exit = Ftm.run("check", "pypi:" + release, "--variants", variants, "--json", json.toString(),
                "--work", tmp.resolve("work").toString());
        JsonNode r = JSON.readTree(json.toFile());
        assertEquals(expectedExit, exit, r.toString());
        return r;
    }

    @Test
    @Tag("slow")
    void markupsafeThatDeclaresSupportIsReadyAndItsGcCountingTestIsThreadUnsafe() throws Exception {
        JsonNode r = check("markupsafe==3.0.2", "cp313,cp313t", Ftm.OK);
        assertEquals("markupsafe", r.get("project").asText(), "the project is named after the release, not the spec");
        for (String v : List.of("cp313", "cp313t")) {
            JsonNode vr = r.get("variants").get(v);
            assertEquals("ready", vr.get("verdict").asText(), vr.get("verdictReason").asText());
            assertEquals(78, vr.get("collected").asInt());
            long passed = 0;
            for (JsonNode t : vr.get("tests")) {
                passed += t.get("outcome").asText().equals("pass") ? 1 : 0;
            }
            assertTrue(passed >= 70, "tests ran and passed: " + passed);
            List<String> unsafe = new ArrayList<>();
            vr.get("threadUnsafe").forEach(u -> unsafe.add(u.get("id").asText() + " " + u.get("reason").asText()));
            assertTrue(unsafe.stream().anyMatch(u -> u.startsWith("tests/test_leak.py::test_markup_leaks")
                    && u.contains("gc.collect")), unsafe.toString());
            assertTrue(vr.get("testRequirements").get("installed").toString().contains("pytest"), vr.toString());
        }
        JsonNode ft = r.get("variants").get("cp313t");
        assertEquals(false, ft.get("gilEnabledAfterImport").asBoolean());
        assertTrue(ft.get("importProbe").asText().contains("PYTHON_GIL unset"), ft.get("importProbe").asText());
    }

    @Test
    @Tag("slow")
    void markupsafeBeforeItDeclaredSupportWorksUndeclared() throws Exception {
        JsonNode r = check("markupsafe==2.1.5", "cp313,cp313t", Ftm.OK);
        assertEquals("ready", r.get("variants").get("cp313").get("verdict").asText());
        JsonNode ft = r.get("variants").get("cp313t");
        assertEquals("works-undeclared", ft.get("verdict").asText(), ft.get("verdictReason").asText());
        assertEquals("markupsafe._speedups", ft.get("gilReenabledBy").asText());
    }

    @Test
    @Tag("slow")
    void setproctitleRunsItsOwnSuiteWithPsAndAnEmbeddedPython() throws Exception {
        JsonNode r = check("setproctitle==1.3.6", "cp313", Ftm.OK);
        JsonNode vr = r.get("variants").get("cp313");
        assertEquals("ready", vr.get("verdict").asText(), vr.get("verdictReason").asText());
        for (JsonNode t : vr.get("tests")) {
            if (t.get("id").asText().contains("test_embedded")) {
                assertEquals("pass", t.get("outcome").asText(), "compiles a program embedding Python: " + t);
            }
        }
    }
}
