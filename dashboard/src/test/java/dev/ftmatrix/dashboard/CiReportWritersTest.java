package dev.ftmatrix.dashboard;

import static dev.ftmatrix.core.Verdict.BUILD_FAILED;
import static dev.ftmatrix.core.Verdict.CRASH;
import static dev.ftmatrix.core.Verdict.FT_FAILURES;
import static dev.ftmatrix.core.Verdict.READY;
import static dev.ftmatrix.core.Verdict.SKIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Finding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class CiReportWritersTest {
    @TempDir
    Path tmp;

    private static final CheckResult RESULT = Results.of("racy", "2026-11-23T10:00:00Z",
            Results.verdicts("cp313", READY, "cp313t", FT_FAILURES, "cp314", BUILD_FAILED, "cp314t", SKIPPED),
            List.of(new Finding("borrowed-ref", Finding.Severity.WARNING, "src/racy.c", 42, 7, "PyList_GetItem",
                            "returns a borrowed reference another thread may free", "use PyList_GetItemRef"),
                    new Finding("static-state", Finding.Severity.ERROR, "src/racy.c", 10, 0, "static long counter",
                            "unsynchronised global state", "use PyMutex or atomics"),
                    new Finding("borrowed-ref", Finding.Severity.NOTE, "src/other.c", 0, 0, "", "whole file", "")));

    @Test
    void junitHasASuitePerVariantWithFailuresErrorsAndSkips() throws Exception {
        Path file = tmp.resolve("reports/junit.xml");
        JUnitWriter.write(RESULT, file);
        Document doc = SiteRendererTest.xml(file);
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        // cp313: 2 passing tests; cp313t: 1 pass 1 fail; cp314: build error; cp314t: skipped
        assertEquals("6", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("errors"));
        assertEquals("1", root.getAttribute("skipped"));
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertEquals(4, suites.getLength());
        Element ft = (Element) suites.item(1);
        assertEquals("racy [cp313t]", ft.getAttribute("name"));
        Element failing = (Element) ft.getElementsByTagName("testcase").item(1);
        assertEquals("cp313t.tests.test_mod", failing.getAttribute("classname"));
        assertEquals("test_counter_threads", failing.getAttribute("name"));
        Element failure = (Element) failing.getElementsByTagName("failure").item(0);
        assertEquals("Traceback (most recent call last):", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("AssertionError: assert 39712 == 40000"));
        Element build = (Element) ((Element) suites.item(2)).getElementsByTagName("error").item(0);
        assertEquals("build-failed", build.getAttribute("type"));
        assertTrue(build.getTextContent().contains("has no member named 'ob_refcnt'"));
        assertEquals(1, ((Element) suites.item(3)).getElementsByTagName("skipped").getLength());
        assertEquals("ft-failures", ((Element) ft.getElementsByTagName("property").item(0)).getAttribute("value"));
    }

    @Test
    void junitCountsCrashesAndHangsAsErrors() throws Exception {
        CheckResult crashed = Results.of("c", "2026-11-23T10:00:00Z", Results.verdicts("cp313t", CRASH));
        JUnitWriter.write(crashed, tmp.resolve("j.xml"));
        Element root = SiteRendererTest.xml(tmp.resolve("j.xml")).getDocumentElement();
        assertEquals("1", root.getAttribute("errors"));
        assertEquals("0", root.getAttribute("failures"));
        assertEquals("crash", ((Element) root.getElementsByTagName("error").item(0)).getAttribute("type"));
    }

    @Test
    void sarifMapsFindingsToRulesResultsAndLocations() throws Exception {
        Path file = tmp.resolve("ftm.sarif");
        SarifWriter.write(RESULT, "0.1.0", file);
        JsonNode doc = new ObjectMapper().readTree(file.toFile());
        assertEquals("2.1.0", doc.get("version").asText());
        assertEquals(SarifWriter.SCHEMA, doc.get("$schema").asText());
        JsonNode run = doc.get("runs").get(0);
        assertEquals("ftm", run.get("tool").get("driver").get("name").asText());
        JsonNode rules = run.get("tool").get("driver").get("rules");
        assertEquals(2, rules.size(), "one descriptor per distinct rule");
        assertEquals("borrowed-ref", rules.get(0).get("id").asText());
        JsonNode results = run.get("results");
        assertEquals(3, results.size());
        JsonNode first = results.get(0);
        assertEquals("warning", first.get("level").asText());
        assertEquals(0, first.get("ruleIndex").asInt());
        JsonNode loc = first.get("locations").get(0).get("physicalLocation");
        assertEquals("src/racy.c", loc.get("artifactLocation").get("uri").asText());
        assertEquals(42, loc.get("region").get("startLine").asInt());
        assertEquals(7, loc.get("region").get("startColumn").asInt());
        assertTrue(first.get("message").get("text").asText().endsWith("Fix: use PyList_GetItemRef"));
        assertEquals("error", results.get(1).get("level").asText());
        assertEquals(1, results.get(1).get("ruleIndex").asInt());
        assertFalse(results.get(1).get("locations").get(0).get("physicalLocation").get("region").has("startColumn"),
                "column 0 means unknown: SARIF columns start at 1");
        assertFalse(results.get(2).get("locations").get(0).get("physicalLocation").has("region"), "no line, no region");
    }

    @Test
    void sarifOfAResultWithoutFindingsIsAValidEmptyRun() throws Exception {
        CheckResult clean = Results.of("clean", "2026-11-23T10:00:00Z", Results.verdicts("cp313t", READY));
        JsonNode run = new ObjectMapper().valueToTree(SarifWriter.document(clean, "0.1.0")).get("runs").get(0);
        assertEquals(0, run.get("results").size());
        assertTrue(run.get("results").isArray(), "an empty results array says: analysed, nothing found");
    }
}
