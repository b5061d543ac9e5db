package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.scanner.internal.SimpleIndex;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which wheel entries are extension modules, and which of a release's wheels is the one compared with. */
class WheelModulesTest {
    @Test
    void extensionModulesAreNamedByTheirPackagePath() {
        assertEquals(Optional.of("markupsafe._speedups"),
                WheelModules.moduleName("markupsafe/_speedups.cpython-313-x86_64-linux-gnu.so"));
        assertEquals(Optional.of("psutil._psutil_linux"), WheelModules.moduleName("psutil/_psutil_linux.abi3.so"));
        assertEquals(Optional.of("_cffi_backend"), WheelModules.moduleName("_cffi_backend.cpython-313t-x86_64-linux-gnu.so"));
        assertEquals(Optional.of("pkg.mod"), WheelModules.moduleName("pkg-1.0.data/platlib/pkg/mod.so"));
    }

    @Test
    void bundledLibrariesAndMetadataAreNotModules() {
        assertEquals(Optional.empty(), WheelModules.moduleName("numpy.libs/libgfortran-040039e1.so.5.0.0"));
        assertEquals(Optional.empty(), WheelModules.moduleName("scipy.libs/libopenblas.so"));
        assertEquals(Optional.empty(), WheelModules.moduleName("pkg/libfoo.so"));
        assertEquals(Optional.empty(), WheelModules.moduleName("pkg-1.0.dist-info/RECORD"));
        assertEquals(Optional.empty(), WheelModules.moduleName("pkg/__init__.py"));
    }

    @Test
    void theCp313LinuxWheelIsPreferredThenNewerGilBuildsThenAbi3() {
        URI u = URI.create("https://example.invalid/");
        List<SimpleIndex.IndexFile> files = List.of(
                new SimpleIndex.IndexFile("p-1.0-cp313-cp313-win_amd64.whl", u, null, false),
                new SimpleIndex.IndexFile("p-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl", u, null, false),
                new SimpleIndex.IndexFile("p-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", u, null, false),
                new SimpleIndex.IndexFile("p-1.0-cp313-cp313-manylinux_2_17_aarch64.whl", u, null, false),
                new SimpleIndex.IndexFile("p-1.0-cp313-cp313-manylinux_2_17_x86_64.whl", u, null, false),
                new SimpleIndex.IndexFile("p-0.9-cp313-cp313-manylinux_2_17_x86_64.whl", u, null, false));
        assertEquals("p-1.0-cp313-cp313-manylinux_2_17_x86_64.whl",
                WheelModules.linuxCpythonWheel(files, "1.0").orElseThrow().filename());
        assertEquals("p-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                WheelModules.linuxCpythonWheel(files.subList(0, 3), "1.0").orElseThrow().filename());
        assertEquals("p-2.0-cp38-abi3-manylinux2014_x86_64.whl", WheelModules.linuxCpythonWheel(List.of(
                new SimpleIndex.IndexFile("p-2.0-cp38-abi3-manylinux2014_x86_64.whl", u, null, false),
                new SimpleIndex.IndexFile("p-2.0-py3-none-any.whl", u, null, false)), "2.0").orElseThrow().filename());
        assertTrue(WheelModules.linuxCpythonWheel(files.subList(0, 1), "1.0").isEmpty(), "only Windows");
    }
}
