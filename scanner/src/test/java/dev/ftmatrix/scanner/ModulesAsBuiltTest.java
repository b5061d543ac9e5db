package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each class of miss of issue 11 on a real release from PyPI: the modules the scan says the Linux CPython wheel
 * ships are the wheel's own {@code *.so} files, and the others are listed with their role.
 */
@Tag("slow")
class ModulesAsBuiltTest {
    @TempDir
    static Path cache;

    private static ProjectScan scan(String spec) {
        FetchedSource src = new SourceFetcher(cache, Progress.NONE).fetch("pypi:" + spec, "", "",
                cache.resolve("work-" + spec.replaceAll("\\W", "_")));
        ProjectScan s = TestScans.scan(src);
        return s.withAgainstWheel(new WheelModules(cache, SourceFetcher.PYPI, Progress.NONE).compare(s));
    }

    private static void sameAsTheWheel(ProjectScan s) {
        assertTrue(s.againstWheel().matches(), WheelModules.describe(s.againstWheel()));
    }

    private static ProjectScan.Module module(ProjectScan s, String name) {
        return s.modules().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + s.modules()));
    }

    private static List<String> shipped(ProjectScan s) {
        return s.shippedModules().stream().map(ProjectScan.Module::name).sorted().toList();
    }

    @Test
    void setupPyThatPicksAModulePerPlatformShipsTheLinuxOne() {
        ProjectScan s = scan("psutil==6.1.0");
        assertEquals(List.of("psutil._psutil_linux", "psutil._psutil_posix"), shipped(s));
        ProjectScan.Module windows = module(s, "psutil._psutil_windows");
        assertEquals("other-platform", windows.role());
        assertEquals("setup.py:238", windows.roleEvidence(), "the `if WINDOWS:` that Linux does not take");
        assertEquals("other-platform", module(s, "psutil._psutil_osx").role());
        // PyInit__psutil_linux(void), then its Python 2 branch (#else ... #endif) before the brace
        ProjectScan.Module linux = module(s, "psutil._psutil_linux");
        assertEquals("not-used", linux.declaration(), linux.toString());
        assertEquals("psutil/_psutil_linux.c:82", linux.evidence(), "PyUnstable_Module_SetGIL(mod, Py_MOD_GIL_NOT_USED)");
        assertEquals(Boolean.TRUE, s.declaresFreeThreading());
        sameAsTheWheel(s);
    }

    @Test
    void setupPyReadsTheProjectsOwnHelperModule() {
        ProjectScan s = scan("lxml==5.3.0");   // setup.py calls setupinfo.ext_modules(...)
        assertEquals(List.of("lxml._elementpath", "lxml.builder", "lxml.etree", "lxml.html.diff", "lxml.objectify",
                "lxml.sax"), shipped(s));
        sameAsTheWheel(s);
    }

    @Test
    void setupPyThroughExtensionHelpersAndExtPackage() {
        ProjectScan astropy = scan("astropy==6.1.6");   // get_extensions() of every setup_package.py
        assertEquals(17, shipped(astropy).size(), shipped(astropy).toString());
        sameAsTheWheel(astropy);
        ProjectScan nacl = scan("pynacl==1.5.0");   // setup(ext_package="nacl", cffi_modules=[...])
        assertEquals(List.of("nacl._sodium"), shipped(nacl));
        sameAsTheWheel(nacl);
        ProjectScan lp = scan("line_profiler==4.1.3");   // its CMakeLists.txt is for another build
        assertEquals(List.of("line_profiler._line_profiler"), shipped(lp));
        sameAsTheWheel(lp);
    }

    @Test
    void cmakeModulesAreNamedByWhereTheyAreInstalled() {
        ProjectScan bh = scan("boost-histogram==1.5.0");
        assertEquals(List.of("boost_histogram._core"), shipped(bh));
        assertEquals(Boolean.TRUE, bh.declaresFreeThreading());
        sameAsTheWheel(bh);
        ProjectScan rf = scan("rapidfuzz==3.10.1");   // python_add_library inside the project's own CMake function
        assertEquals(8, shipped(rf).size(), shipped(rf).toString());
        sameAsTheWheel(rf);
        ProjectScan spglib = scan("spglib==2.5.0");   // add_subdirectory behind [tool.scikit-build] cmake.define
        assertEquals(List.of("spglib._spglib"), shipped(spglib));
        sameAsTheWheel(spglib);
    }

    @Test
    void maturinModulesLiveInThePackageOfTheirName() {
        ProjectScan rpds = scan("rpds-py==0.22.3");
        assertEquals(List.of("rpds.rpds"), shipped(rpds));
        assertEquals(Boolean.TRUE, rpds.declaresFreeThreading());
        sameAsTheWheel(rpds);
        ProjectScan blake3 = scan("blake3==0.4.1");   // its c_impl/ (another build of the same module) is not built
        assertEquals(List.of("blake3.blake3"), shipped(blake3));
        assertEquals("not-built", module(blake3, "blake3").role());
        sameAsTheWheel(blake3);
        ProjectScan orjson = scan("orjson==3.10.11");   // pyo3-ffi and a hand-written PyModuleDef
        ProjectScan.Module m = module(orjson, "orjson.orjson");
        assertEquals("pyo3-ffi", m.bindingLayer());
        sameAsTheWheel(orjson);
    }

    @Test
    void aPyo3FfiModuleDeclaresThroughItsRustSlots() {
        // orjson 3.10.11: PyModuleDef_Slot { slot: Py_mod_gil, value: Py_MOD_GIL_USED }, written in Rust
        ProjectScan orjson = scan("orjson==3.10.11");
        ProjectScan.Module m = module(orjson, "orjson.orjson");
        assertEquals("used", m.declaration(), m.toString());
        assertEquals("src/lib.rs:192", m.evidence());
        assertEquals(Boolean.FALSE, orjson.declaresFreeThreading());
        assertTrue(orjson.modules().stream().noneMatch(x -> x.name().equals("string_sum")),
                "pyo3-ffi's own docs show an example module in a comment");
        // ormsgpack 1.6.0: the same kind of module with no Py_mod_gil slot: the GIL is used, not unknown
        ProjectScan ormsgpack = scan("ormsgpack==1.6.0");
        ProjectScan.Module o = module(ormsgpack, "ormsgpack.ormsgpack");
        assertEquals("absent", o.declaration(), o.toString());
        assertEquals("src/lib.rs:50", o.evidence());
        assertEquals(Boolean.FALSE, ormsgpack.declaresFreeThreading());
        sameAsTheWheel(ormsgpack);
    }

    @Test
    void demoAndDocstringModulesAreNotTheProjects() {
        ProjectScan s = scan("cffi==1.17.1");
        assertEquals(List.of("_cffi_backend"), shipped(s));
        assertTrue(s.modules().stream().anyMatch(m -> m.role().equals("example")), s.modules().toString());
        sameAsTheWheel(s);
    }

    @Test
    void aPython2BranchBeforeTheInitFunctionsBraceIsRead() {
        // cffi 1.17.1: PyInit__cffi_backend(void) #else ... init_cffi_backend(void) #endif {: single-phase, no SetGIL
        ProjectScan cffi = scan("cffi==1.17.1");
        ProjectScan.Module backend = module(cffi, "_cffi_backend");
        assertEquals("absent", backend.declaration(), backend.toString());
        assertEquals("src/c/_cffi_backend.c:8043", backend.evidence());
        assertEquals(Boolean.FALSE, cffi.declaresFreeThreading());
        // bottleneck 1.4.2: setup.py names reduce.c, generated from reduce_template.c at build time
        ProjectScan bn = scan("bottleneck==1.4.2");
        ProjectScan.Module reduce = module(bn, "bottleneck.reduce");
        assertEquals("absent", reduce.declaration(), reduce.toString());
        assertTrue(reduce.evidence().startsWith("bottleneck/src/reduce_template.c:"), reduce.evidence());
        assertEquals(Boolean.FALSE, bn.declaresFreeThreading());
        sameAsTheWheel(bn);
    }

    @Test
    void ctypesLibrariesAreInstalledButAreNoModules() {
        // pycryptodome 3.21.0: 42 .so files whose only PyInit_ is FAKE_INIT's stub for Windows; loaded with cffi/ctypes
        ProjectScan s = scan("pycryptodome==3.21.0");
        ProjectScan.Module md5 = module(s, "Crypto.Hash._MD5");
        assertEquals(ProjectScan.Module.NATIVE_LIBRARY, md5.role(), md5.toString());
        assertEquals(ProjectScan.Module.NOT_A_MODULE, md5.declaration());
        assertEquals("src/common.h:124", md5.evidence(), "#define FAKE_INIT(x) ... PyInit__ ..., under #elif _MSC_VER");
        ProjectScan.Module sha256 = module(s, "Crypto.Hash._SHA256");   // FAKE_INIT in an #include'd template
        assertEquals(ProjectScan.Module.NATIVE_LIBRARY, sha256.role(), sha256.toString());
        assertEquals(42, s.shippedModules().size());
        assertTrue(s.shippedModules().stream().allMatch(m -> m.role().equals(ProjectScan.Module.NATIVE_LIBRARY)),
                s.shippedModules().toString());
        assertEquals(false, s.hasExtensionModules());
        assertEquals(null, s.declaresFreeThreading(), "nothing declares, and nothing counts");
        sameAsTheWheel(s);
    }

    @Test
    void aWheelWithoutExtensionModulesOnLinuxHasNothingToDeclare() {
        ProjectScan s = scan("watchdog==6.0.0");   // its one extension, _watchdog_fsevents, is built on macOS only
        assertEquals("other-platform", module(s, "_watchdog_fsevents").role());
        assertEquals(false, s.hasExtensionModules());
        assertEquals(null, s.declaresFreeThreading());
        sameAsTheWheel(s);
    }

    @Test
    void cythonDirectivesOfTemplatesAndPurePythonModeAreRead() {
        // pyzmq 26.2.0: CMake runs Cython on zmq/backend/cython/_zmq.py, which opens with
        // '# cython: freethreading_compatible = True'
        ProjectScan zmq = scan("pyzmq==26.2.0");
        ProjectScan.Module m = module(zmq, "zmq.backend.cython._zmq");
        assertEquals("cython", m.bindingLayer(), m.toString());
        assertEquals("not-used", m.declaration(), m.toString());
        assertEquals("zmq/backend/cython/_zmq.py:1", m.evidence());
        assertEquals(Boolean.TRUE, zmq.declaresFreeThreading());
        sameAsTheWheel(zmq);
        // siphash24 1.7: meson builds siphash24.pyx from the Tempita template siphash24.pyx.in; no directive
        ProjectScan sip = scan("siphash24==1.7");
        ProjectScan.Module h = module(sip, "siphash24");
        assertEquals("absent", h.declaration(), h.toString());
        assertEquals("siphash24.pyx.in:1", h.evidence());
        assertEquals(Boolean.FALSE, sip.declaresFreeThreading());
        sameAsTheWheel(sip);
    }

    @Test
    void cffiModulesAreTheOnesSetupPyBuilds() {
        ProjectScan argon2 = scan("argon2-cffi-bindings==21.2.0");   // cffi_modules names the builder
        assertEquals(List.of("_argon2_cffi_bindings._ffi"), shipped(argon2));
        sameAsTheWheel(argon2);
        ProjectScan zstd = scan("zstandard==0.23.0");   // ffi.distutils_extension() from a helper module
        assertEquals(List.of("zstandard._cffi", "zstandard.backend_c"), shipped(zstd));
        assertEquals("not-built", module(zstd, "backend_rust").role(), "rust-ext/ is built only with --rust-backend");
        sameAsTheWheel(zstd);
    }

    @Test
    void mesonModulesFromLoopsTemplatesAndCythonArgs() {
        ProjectScan skimage = scan("scikit-image==0.24.0");   // foreach over lists of [name, sources]
        assertEquals(56, shipped(skimage).size());
        sameAsTheWheel(skimage);
        ProjectScan numpy = scan("numpy==2.1.3");
        sameAsTheWheel(numpy);
        ProjectScan.Module mtrand = module(numpy, "numpy.random.mtrand");
        assertEquals("not-used", mtrand.declaration(), "cython_args: -Xfreethreading_compatible=True");
        assertTrue(mtrand.evidence().startsWith("numpy/random/meson.build:"), mtrand.evidence());
        assertEquals("cython", module(numpy, "numpy.random._bounded_integers").bindingLayer(), "from a .pyx.in");
        assertEquals(ProjectScan.Module.TEST_SHIPPED, module(numpy, "numpy._core._umath_tests").role());
        ProjectScan.Module tests = module(numpy, "numpy._core._multiarray_tests");   // defined in a .c.src template
        assertEquals("not-used", tests.declaration(), tests.toString());
        assertTrue(tests.evidence().startsWith("numpy/_core/src/multiarray/_multiarray_tests.c.src:"), tests.evidence());
        assertEquals(Boolean.TRUE, numpy.declaresFreeThreading());
    }

    @Test
    void aPyxPulledInByIncludeIsNoModule() {
        ProjectScan msgpack = scan("msgpack==1.1.0");   // _cmsgpack.pyx includes _packer.pyx and _unpacker.pyx
        assertEquals(List.of("msgpack._cmsgpack"), shipped(msgpack));
        assertEquals(Boolean.FALSE, msgpack.declaresFreeThreading());
        sameAsTheWheel(msgpack);
        ProjectScan uvloop = scan("uvloop==0.21.0");
        assertEquals(List.of("uvloop.loop"), shipped(uvloop));
        sameAsTheWheel(uvloop);
        // mpi4py 4.0.1 (no Linux wheel on the index): src/mpi4py/MPI.pyx includes MPI.src/MPI.pyx, of the same name
        ProjectScan mpi = scan("mpi4py==4.0.1");
        ProjectScan.Module m = module(mpi, "mpi4py.MPI");
        assertEquals("not-used", m.declaration(), m.toString());
        assertEquals("src/mpi4py/MPI.pyx:13", m.evidence(), "# cython: freethreading_compatible=True");
        assertEquals(Boolean.TRUE, mpi.declaresFreeThreading());
    }

    @Test
    void anInitFunctionNamedThroughAMacroIsRead() {
        // brotli 1.1.0: #define INIT_BROTLI PyInit__brotli, then PyMODINIT_FUNC INIT_BROTLI(void) { ... }: single-phase
        // init with no PyUnstable_Module_SetGIL, so the GIL is used (not "unknown")
        ProjectScan brotli = scan("brotli==1.1.0");
        ProjectScan.Module m = module(brotli, "_brotli");
        assertEquals("absent", m.declaration(), m.toString());
        assertTrue(m.evidence().startsWith("python/_brotli.c:"), m.toString());
        assertEquals(Boolean.FALSE, brotli.declaresFreeThreading());
        sameAsTheWheel(brotli);
    }
}
