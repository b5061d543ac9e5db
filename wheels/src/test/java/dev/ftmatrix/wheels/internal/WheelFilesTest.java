package dev.ftmatrix.wheels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WheelFilesTest {
    @Test
    void extensionModulesAreNamedAsImportTakesThem() {
        assertEquals("pandas._libs.tslibs.base",
                WheelFiles.moduleName("pandas/_libs/tslibs/base.cpython-313t-x86_64-linux-gnu.so"));
        assertEquals("_cffi_backend", WheelFiles.moduleName("_cffi_backend.cpython-313t-x86_64-linux-gnu.so"));
        assertEquals("pkg._ext", WheelFiles.moduleName("pkg/_ext.abi3.so"));
    }

    @Test
    void vendoredLibrariesAndMetadataAreNotModules() {
        assertNull(WheelFiles.moduleName("numpy.libs/libscipy_openblas64_-ff651d7f.so"));
        assertNull(WheelFiles.moduleName("pillow.libs/libjpeg-8a13c6e0.so.62.4.0"));
        assertNull(WheelFiles.moduleName("pkg/__init__.py"));
        assertNull(WheelFiles.moduleName("pkg-1.0.dist-info/RECORD"));
        assertNull(WheelFiles.moduleName("pkg/lib.win-amd64/x.pyd"));
    }
}
