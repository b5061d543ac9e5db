package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** {@code ftm check} as CI runs it: exit codes 0, 1 and 2, and the --json, --junit and --sarif files. */
class CheckCommandTest {
    static final Path ROOT = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String[] args(String fixture, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("check", ROOT.resolve("fixtures").resolve(fixture).toString(),
                "--work", tmp.resolve("work").toString(), "--json", tmp.resolve("out/result.json").toString(),
                "--junit", tmp.resolve("out/junit.xml").toString(), "--sarif", tmp.resolve("out/ftm.sarif").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void badInputExitsTwoBeforeRunningAnything() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run(args("ft-ready", "--fail-on", "crash,broken")));
        assertEquals(Ftm.BAD_INPUT, Ftm.run(args("ft-ready", "--variants", "cp2")));
        assertEquals(Ftm.BAD_INPUT, Ftm.run("check", tmp.resolve("no-such-project").toString(), "--variants", "cp39"));
        assertEquals(Ftm.BAD_INPUT, Ftm.run("check", "--no-such-option", "x"));
        assertFalse(Files.exists(tmp.resolve("out")), "no report for a check that never ran");
    }

    @Test
    void aVariantWithoutToolchainIsSkippedWhichPassesUnlessFailOnNamesIt() throws Exception {
        // cp39 has no toolchain anywhere and --no-install keeps it so: the pipeline runs, fast, and skips it
        assertEquals(Ftm.OK, Ftm.run(args("ft-ready", "--variants", "cp39", "--no-install")));
        JsonNode result = JSON.readTree(tmp.resolve("out/result.json").toFile());
        assertEquals("skipped", result.get("variants").get("cp39").get("verdict").asText());
        Element junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("out/junit.xml").toFile()).getDocumentElement();
        assertEquals("1", junit.getAttribute("skipped"));
        assertEquals("2.1.0", JSON.readTree(tmp.resolve("out/ftm.sarif").toFile()).get("version").asText());
        assertEquals(Ftm.CHECK_FAILED, Ftm.run(args("ft-ready", "--variants", "cp39", "--no-install",
                "--fail-on", "skipped")));
    }

    @Test
    @Tag("slow")
    void anUndeclaredExtensionFailsTheCheckOnlyWhenFailOnNamesWorksUndeclared() throws Exception {
        // ft-undeclared is deterministic: its tests pass, but importing it re-enables the GIL (ft-racy's race is
        // not: under heavy load it may not show, so it is no ground for an exit-code test)
        int exit = Ftm.run(args("ft-undeclared", "--variants", "cp313,cp313t", "--fail-on", "ft-failures,works-undeclared"));
        JsonNode result = JSON.readTree(tmp.resolve("out/result.json").toFile());
        assertEquals("ready", result.get("variants").get("cp313").get("verdict").asText(), result.toString());
        assertEquals("works-undeclared", result.get("variants").get("cp313t").get("verdict").asText(), result.toString());
        assertEquals(Ftm.CHECK_FAILED, exit);
        Element junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("out/junit.xml").toFile()).getDocumentElement();
        assertEquals(2, junit.getElementsByTagName("testsuite").getLength());
        assertEquals("0", junit.getAttribute("failures"));
        int perVariant = result.get("variants").get("cp313t").get("tests").size();
        assertEquals(Integer.toString(2 * perVariant), junit.getAttribute("tests"));
        JsonNode sarifResults = JSON.readTree(tmp.resolve("out/ftm.sarif").toFile()).get("runs").get(0).get("results");
        assertEquals(1, sarifResults.size(), sarifResults.toString());
        assertEquals("gil-declaration-missing", sarifResults.get(0).get("ruleId").asText());
        assertEquals("src/ftundeclared.c", sarifResults.get(0).get("locations").get(0).get("physicalLocation")
                .get("artifactLocation").get("uri").asText());
        assertEquals("absent", result.get("facts").get("modules").get(0).get("declaration").asText());
        assertFalse(result.get("declaresFreeThreading").asBoolean());
        // the same stored result under the default --fail-on (crash, hang, ft-failures) passes
        assertEquals(Ftm.OK, Ftm.run(args("ft-undeclared", "--variants", "cp313,cp313t")));
    }

    @Test
    @Tag("slow")
    void aFreeThreadedVariantAloneIsItsOwnBaselineWithTheGilOnWithoutASecondBuild() throws Exception {
        Path json = tmp.resolve("out/result.json");
        int code = Ftm.run("check", ROOT.resolve("fixtures/ft-racy").toString(), "--variants", "cp313t",
                "--json", json.toString(), "--work", tmp.resolve("work").toString());
        assertEquals(1, code, "ft-failures is in the default --fail-on");
        JsonNode ft = JSON.readTree(json.toFile()).get("variants").get("cp313t");
        assertEquals("ft-failures", ft.get("verdict").asText(), ft.get("verdictReason").asText());
        assertTrue(ft.get("timings").has("baseline with PYTHON_GIL=1"), ft.get("timings").toString());
        // the baseline ran the tests of the same build: its directory has their tree and events, and no venv of its own
        try (var dirs = Files.walk(tmp.resolve("work"), 3)) {
            List<Path> gil = dirs.filter(p -> p.getFileName().toString().equals("cp313t-gil")).toList();
            assertEquals(1, gil.size(), "one baseline directory");
            assertTrue(Files.isDirectory(gil.getFirst().resolve("harness")), "the baseline's harness ran there");
            assertFalse(Files.exists(gil.getFirst().resolve("venv")), "nothing was built again");
        }
    }

    @Test
    @Tag("slow")
    void aFreeThreadedVariantAloneWhoseSuitePassesNeedsNoBaseline() throws Exception {
        Path json = tmp.resolve("out/result.json");
        assertEquals(Ftm.OK, Ftm.run("check", ROOT.resolve("fixtures/ft-ready").toString(), "--variants", "cp313t",
                "--json", json.toString(), "--work", tmp.resolve("work").toString()));
        JsonNode ft = JSON.readTree(json.toFile()).get("variants").get("cp313t");
        assertEquals("ready", ft.get("verdict").asText(), ft.get("verdictReason").asText());
        assertFalse(ft.get("timings").has("baseline with PYTHON_GIL=1"), ft.get("timings").toString());
        try (var dirs = Files.walk(tmp.resolve("work"), 3)) {
            assertTrue(dirs.noneMatch(p -> p.getFileName().toString().equals("cp313t-gil")), "no baseline ran");
        }
    }

    @Test
    @Tag("slow")
    void racyFixtureIsFtFailuresOnlyOnTheFreeThreadedBuildAndFailsTheCheck() throws Exception {
        Path json = tmp.resolve("out/result.json");
        int code = Ftm.run("check", ROOT.resolve("fixtures/ft-racy").toString(), "--variants", "cp313,cp313t",
                "--json", json.toString(), "--work", tmp.resolve("work").toString());
        assertEquals(1, code, "ft-failures is in the default --fail-on");
        JsonNode r = JSON.readTree(json.toFile());
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
        assertEquals("[\"c-api\"]", r.get("facts").get("bindingLayers").toString());
        assertEquals("setuptools", r.get("facts").get("buildBackend").asText());
        boolean sawStatic = false;
        for (JsonNode f : r.get("findings")) {
            sawStatic |= f.get("rule").asText().equals("mutable-static") && f.get("file").asText().equals("src/ftracy.c");
        }
        assertTrue(sawStatic, "the racy counter is a file-scope static: " + r.get("findings"));

        // the same project with ft-failures allowed passes the check
        assertEquals(0, Ftm.run("check", ROOT.resolve("fixtures/ft-racy").toString(), "--variants", "cp313",
                "--fail-on", "crash", "--work", tmp.resolve("work2").toString()));
    }
}
