package dev.ftmatrix.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.abi.mirror.StructMirrors;
import dev.ftmatrix.core.Finding;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Project mirrors of CPython structs, compared with the layouts measured from the real cp313/cp313t headers. */
@Tag("slow")
class StructMirrorsTest {
    private static Path fixture() {
        try {
            return Path.of(StructMirrorsTest.class.getResource("/mirrors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mirrorsThatDisagreeWithTheFreeThreadedLayoutAreReportedAndCorrectOnesAreNot() throws Exception {
        SourceReport r = new SourceScan(fixture()).against(RealToolchains.delta()).call();
        Set<String> mirrors = r.findings().stream().filter(f -> f.rule().equals(StructMirrors.ID)
                        || f.rule().equals(dev.ftmatrix.abi.source.InternalApiRule.ID)).map(f -> f.file() + ":" + f.line() + " " + f.rule())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(SourceScanTest.expected(fixture()), mirrors, ScanReports.text(r));
    }

    @Test
    void theMessageGivesBothOffsets() {
        SourceReport r = new SourceScan(fixture()).against(RealToolchains.delta()).call();
        Finding f = r.findings(StructMirrors.ID).stream().filter(x -> x.text().equals("fake_object.ob_type"))
                .findFirst().orElseThrow();
        long ft = RealToolchains.delta().structs().stream().filter(s -> s.name().equals("PyObject")).findFirst()
                .orElseThrow().ft().fields().get("ob_type");
        assertTrue(f.why().contains("offset 8 here") && f.why().contains("offset " + ft + " in the free-threaded"), f.why());
    }

    @Test
    void aMirrorFoundByItsShapeIsNamedAsWrittenAndSaysWhatItMirrors() {
        SourceReport r = new SourceScan(fixture()).against(RealToolchains.delta()).call();
        Finding f = r.findings(StructMirrors.ID).stream().filter(x -> x.text().equals("my_header.kind"))
                .findFirst().orElseThrow(() -> new AssertionError(ScanReports.text(r)));
        assertTrue(f.why().startsWith("my_header.kind (by its shape, PyObject.ob_type) is at offset 8 here"), f.why());
        assertTrue(r.findings(StructMirrors.ID).stream().noneMatch(x -> x.text().startsWith("count_and_type.")),
                "a struct of the same shape that nothing casts an object to is not a mirror");
    }

    @Test
    void withoutADeltaTheRuleDoesNotRun() {
        assertTrue(SourceScan.scan(fixture()).findings(StructMirrors.ID).isEmpty());
    }
}
