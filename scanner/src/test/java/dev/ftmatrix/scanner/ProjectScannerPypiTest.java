package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sdists from PyPI: the scan's done-when of the issue. */
class ProjectScannerPypiTest {
    @TempDir
    Path tmp;

    private ProjectScan scan(String source) throws Exception {
        FetchedSource src = new SourceFetcher(tmp.resolve("cache"), l -> { }).fetch(source, "", "",
                tmp.resolve("work-" + source.replaceAll("\\W", "_")));
        ProjectScan s = TestScans.scan(src);
        return s;
    }

    @Test
    void markupsafe300IsACApiExtensionDeclaringFreeThreading() throws Exception {
        ProjectScan s = scan("pypi:markupsafe==3.0.0");
        assertEquals(Boolean.TRUE, s.declaresFreeThreading());
        assertEquals(1, s.modules().size());
        ProjectScan.Module m = s.modules().getFirst();
        assertEquals("markupsafe._speedups", m.name());
        assertEquals("c-api", m.bindingLayer());
        assertEquals("not-used", m.declaration());
        assertEquals("PyUnstable_Module_SetGIL", m.mechanism());
        assertTrue(m.evidence().startsWith("src/markupsafe/_speedups.c:"), m.evidence());
        assertEquals(java.util.List.of("src/markupsafe/_speedups.c"), m.sources());
        assertEquals("setuptools", s.buildBackend().name());
        assertEquals("3.0.0", s.version());
        assertTrue(s.tests().directories().contains("tests"));
    }

    @Test
    void markupsafe215IsACApiExtensionThatDoesNotDeclareIt() throws Exception {
        ProjectScan s = scan("pypi:markupsafe==2.1.5");
        assertEquals(Boolean.FALSE, s.declaresFreeThreading());
        ProjectScan.Module m = s.modules().getFirst();
        assertEquals("markupsafe._speedups", m.name());
        assertEquals("c-api", m.bindingLayer());
        assertEquals("absent", m.declaration());
        assertEquals("setuptools", s.buildBackend().name());
        assertEquals("setuptools.build_meta:__legacy__", s.buildBackend().module(), "2.1.5 has no pyproject.toml");
        assertFalse(s.limitedApi().used());
        assertNull(s.freeThreadingClassifier());
    }

    @Test
    void realPyo3ModulesAreJudgedByTheirLockedPyo3Version() throws Exception {
        ProjectScan old = scan("pypi:nh3==0.2.17");
        assertEquals("0.21.0", old.bindingLayers().stream().filter(b -> b.name().equals("pyo3")).findFirst()
                .orElseThrow().version(), "from Cargo.lock");
        assertEquals("absent", old.modules().getFirst().declaration());
        assertTrue(old.modules().getFirst().mechanism().contains("no free-threaded support before 0.23"), old.modules().getFirst().mechanism());

        ProjectScan current = scan("pypi:nh3==0.2.20");
        assertEquals("pyo3", current.modules().getFirst().bindingLayer());
        assertEquals("not-used", current.modules().getFirst().declaration());
        assertEquals(Boolean.TRUE, current.declaresFreeThreading());
    }
}
