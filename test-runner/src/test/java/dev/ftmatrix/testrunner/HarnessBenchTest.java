package dev.ftmatrix.testrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bench runs end to end on a small suite; its figures are measured, never asserted against a time. */
@Tag("slow")
class HarnessBenchTest {
    @Test
    void measuresBothRunnersAndTheParallelRunsOnOneSuite() throws Exception {
        Toolchain ft = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313t"), "debian");
        Path work = Files.createDirectories(Path.of("target", "harness-bench").toAbsolutePath());
        HarnessBench.Figures f = new HarnessBench(ft, work).threads(2).tests(20).cpuLoops(200_000).repeats(1).call();
        assertEquals("cp313t", f.variant());
        assertEquals(20, f.tests());
        assertTrue(f.pytestSuiteMillis() > 0 && f.harnessSuiteMillis() > 0, f.toString());
        assertTrue(f.harnessStartMillis() > 0 && f.harnessStartMillis() <= f.harnessSuiteMillis(), f.toString());
        assertTrue(f.cpuOneMillis() > 0 && f.cpuParallelMillis() > 0 && f.speedup() > 0, f.toString());
        System.out.println("bench figures (not asserted): " + f);
    }
}
