package dev.ftmatrix.wheels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.builder.ModuleImport;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real releases downloaded from the index, their cp313t wheels installed and imported on the real cp313t toolchain.
 * Each was found by running {@code ftm wheels} over releases that shipped cp313t wheels early; the verdicts below are
 * what CPython itself says on import, every module that needs the GIL named.
 */
@Tag("slow")
class PublishedWheelsTest {
    private static WheelResult cp313t(String name, String version) {
        WheelReport r = RealWheels.cp313t().call(new Release(name, version));
        assertEquals(version, r.version());
        return r.variants().get("cp313t");
    }

    private static void reenables(WheelResult w, List<String> modules) {
        assertEquals(WheelVerdict.WHEEL_REENABLES_GIL, w.verdict(), w.reason());
        assertEquals(modules, w.gilReenabledBy());
        for (String m : modules) {
            assertTrue(w.reason().contains(m), w.reason());
        }
        assertTrue(w.modules().stream().filter(m -> modules.contains(m.module()))
                .allMatch(m -> m.imported() && Boolean.TRUE.equals(m.gilEnabledAfterImport())), w.modules().toString());
    }

    private static void ready(WheelResult w, int modules) {
        assertEquals(WheelVerdict.WHEEL_READY, w.verdict(), w.reason());
        assertEquals(modules, w.modules().size());
        assertTrue(w.modules().stream().allMatch(m -> m.imported() && Boolean.FALSE.equals(m.gilEnabledAfterImport())
                && m.needsGil().isEmpty() && m.warning().isEmpty()), w.modules().toString());
        assertTrue(w.gilReenabledBy().isEmpty());
    }

    @Test
    @Timeout(120)
    void blake3s_firstFreeThreadedWheelTurnsTheGilBackOn() {
        WheelResult w = cp313t("blake3", "1.0.1");
        reenables(w, List.of("blake3.blake3"));
        // CPython's own warning names it too: the GIL was enabled to load it
        assertTrue(w.modules().getFirst().warning().contains("'blake3.blake3'"), w.modules().getFirst().warning());
    }

    @Test
    @Timeout(120)
    void sqlalchemysCythonExtensionsEachTurnTheGilBackOnThoughCpythonWarnsForOne() {
        WheelResult w = cp313t("SQLAlchemy", "2.0.45");
        reenables(w, List.of("sqlalchemy.cyextension.collections", "sqlalchemy.cyextension.immutabledict",
                "sqlalchemy.cyextension.processors", "sqlalchemy.cyextension.resultproxy", "sqlalchemy.cyextension.util"));
        long warned = w.modules().stream().map(ModuleImport::warning).filter(s -> !s.isEmpty()).distinct().count();
        assertTrue(warned < 5, "each interpreter warns only for the first module; the -v lines name all of them");
    }

    @Test
    @Timeout(120)
    void greenletTurnsTheGilBackOnAndItsTestModulesUndeclaredDependencyIsNotCounted() {
        WheelResult w = cp313t("greenlet", "3.1.1");
        reenables(w, List.of("greenlet._greenlet"));
        // the test modules need psutil, a test extra: they fail on the GIL build's wheel too
        assertEquals(List.of("greenlet.tests._test_extension", "greenlet.tests._test_extension_cpp"),
                w.failsOnGilBuildToo());
    }

    @Test
    @Timeout(120)
    void markupsafe300KeepsTheGilOff() {
        ready(cp313t("MarkupSafe", "3.0.0"), 1);
    }

    @Test
    @Timeout(120)
    void wrapt1170KeepsTheGilOff() {
        ready(cp313t("wrapt", "1.17.0"), 1);
    }

    @Test
    @Timeout(120)
    void coverage761sTracerKeepsTheGilOff() {
        ready(cp313t("coverage", "7.6.1"), 1);
    }

    @Test
    @Timeout(120)
    void sharedLibrariesLoadedWithCtypesAreNotExtensionModules() {
        WheelResult w = cp313t("pycryptodome", "3.23.0");
        assertEquals(WheelVerdict.WHEEL_READY, w.verdict(), w.reason());
        assertTrue(w.modules().isEmpty(), w.modules().toString());
    }

    @Test
    @Timeout(60)
    void aReleaseWithoutAFreeThreadedWheelHasNoWheel() {
        WheelResult w = cp313t("MarkupSafe", "2.1.5");
        assertEquals(WheelVerdict.NO_WHEEL, w.verdict());
        String has = w.reason().substring(w.reason().indexOf("its wheels are for"));
        assertTrue(has.contains("cp312") && !has.contains("cp313"), w.reason());
    }

    @Test
    @Timeout(60)
    void aPureFallbackWheelOfAProjectThatBuildsBinariesIsNoFreeThreadedWheel() {
        // SQLAlchemy 2.1.9 ships compiled wheels for other ABIs and a py3-none-any one, which pip picks on cp313t
        WheelResult w = cp313t("SQLAlchemy", "2.1.9");
        assertEquals(WheelVerdict.NO_WHEEL, w.verdict(), w.reason());
        assertTrue(w.reason().contains("py3-none-any"), w.reason());
    }
}
