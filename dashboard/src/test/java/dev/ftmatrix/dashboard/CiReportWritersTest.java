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

}
