package dev.ftmatrix.abi;

import static dev.ftmatrix.abi.SourceScanTest.module;
import static dev.ftmatrix.abi.SourceScanTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.abi.GilDeclaration.State;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GilDeclarationTest {
    @TempDir
    Path root;

    private static final String PYO3_LIB = """
            use pyo3::prelude::*;
            #[pymodule]
            fn native(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }
            """;

    @Test
    void pyo3From028DoesNotUseTheGilByDefault() {
        write(root, "Cargo.toml", "[dependencies]\npyo3 = \"0.28.1\"\n");
        write(root, "src/lib.rs", PYO3_LIB);
        GilDeclaration d = module(SourceScan.scan(root), "native");
        assertEquals(State.NOT_USED, d.state());
        assertEquals("Cargo.toml:2", d.evidence());
        assertTrue(SourceScan.scan(root).findings().isEmpty());
    }

    @Test
    void pyo3LockFileVersionWinsOverTheRequirement() {
        write(root, "Cargo.toml", "[dependencies]\npyo3 = \">=0.22\"\n");
        write(root, "Cargo.lock", "[[package]]\nname = \"pyo3\"\nversion = \"0.27.2\"\n");
        write(root, "src/lib.rs", PYO3_LIB);
        GilDeclaration d = module(SourceScan.scan(root), "native");
        assertEquals(State.ABSENT, d.state());
        assertTrue(d.mechanism().contains("0.27.2"), d.mechanism());
    }

    @Test
    void pyo3Before023HasNoFreeThreadedSupport() {
        write(root, "Cargo.toml", "[dependencies.pyo3]\nversion = \"0.21\"\nfeatures = [\"extension-module\"]\n");
        write(root, "src/lib.rs", PYO3_LIB);
        GilDeclaration d = module(SourceScan.scan(root), "native");
        assertEquals(State.ABSENT, d.state());
        assertTrue(d.mechanism().contains("no free-threaded support"), d.mechanism());
    }

    @Test
    void pyo3WithoutAVersionIsUnknown() {
        write(root, "src/lib.rs", PYO3_LIB);
        assertEquals(State.UNKNOWN, module(SourceScan.scan(root), "native").state());
    }

    @Test
    void pyo3GilUsedTrueIsADeclarationThatTheGilIsNeeded() {
        write(root, "Cargo.toml", "[dependencies]\npyo3 = \"0.28\"\n");
        write(root, "src/lib.rs", "#[pymodule(gil_used = true)]\nmod native {}\n");
        assertEquals(State.USED, module(SourceScan.scan(root), "native").state());
    }

    @Test
    void singlePhaseInitDeclaresWithSetGil() {
        write(root, "m.c", """
                PyMODINIT_FUNC PyInit_m(void) {
                    PyObject *mod = PyModule_Create(&def);
                #ifdef Py_GIL_DISABLED
                    PyUnstable_Module_SetGIL(mod, Py_MOD_GIL_NOT_USED);
                #endif
                    return mod;
                }
                """);
        GilDeclaration d = module(SourceScan.scan(root), "m");
        assertEquals(State.NOT_USED, d.state());
        assertEquals("PyUnstable_Module_SetGIL", d.mechanism());
        assertEquals("m.c:4", d.evidence());
    }

    @Test
    void aSlotValueIsReadNotOnlyItsPresence() {
        write(root, "used.c", "static PyModuleDef_Slot s[] = {{Py_mod_gil, Py_MOD_GIL_USED}, {0, NULL}};\n"
                + "PyMODINIT_FUNC PyInit_used(void) { return PyModuleDef_Init(&d); }\n");
        write(root, "macro.c", "static PyModuleDef_Slot s[] = {{Py_mod_gil, MY_GIL_SETTING}, {0, NULL}};\n"
                + "PyMODINIT_FUNC PyInit_macro(void) { return PyModuleDef_Init(&d); }\n");
        write(root, "commented.c", "static PyModuleDef_Slot s[] = {/* {Py_mod_gil, Py_MOD_GIL_NOT_USED}, */ {0, NULL}};\n"
                + "PyMODINIT_FUNC PyInit_commented(void) { return PyModuleDef_Init(&d); }\n");
        SourceReport r = SourceScan.scan(root);
        assertEquals(State.USED, module(r, "used").state());
        assertEquals(State.UNKNOWN, module(r, "macro").state());
        assertEquals(State.ABSENT, module(r, "commented").state());
        assertEquals(1, r.findings(dev.ftmatrix.abi.source.GilDeclarations.USED).size());
        assertEquals(1, r.findings(dev.ftmatrix.abi.source.GilDeclarations.UNKNOWN).size());
        assertEquals(1, r.findings(dev.ftmatrix.abi.source.GilDeclarations.MISSING).size());
    }

    @Test
    void cythonDirectiveFromMesonArgumentsAndFromTheCMacro() {
        write(root, "meson.build", "py.extension_module('a', cython_args: ['-X', 'freethreading_compatible=True'])\n");
        write(root, "a.pyx", "def f(): pass\n");
        assertEquals(State.NOT_USED, module(SourceScan.scan(root), "a").state());

        write(root, "meson.build", "project('x')\n");
        write(root, "setup.py", "Extension('a', ['a.pyx'], define_macros=[('CYTHON_FREETHREADING_COMPATIBLE', '1')])\n");
        GilDeclaration d = module(SourceScan.scan(root), "a");
        assertEquals(State.NOT_USED, d.state());
        assertEquals("CYTHON_FREETHREADING_COMPATIBLE macro", d.mechanism());
    }

    @Test
    void cythonFileDirectiveOverridesTheProjectOne() {
        write(root, "setup.py", "cythonize('*.pyx', compiler_directives={'freethreading_compatible': True})\n");
        write(root, "a.pyx", "# cython: freethreading_compatible=False\ndef f(): pass\n");
        write(root, "b.pyx", "def f(): pass\n# cython: freethreading_compatible=False (too late: after code)\n");
        SourceReport r = SourceScan.scan(root);
        assertEquals(State.USED, module(r, "a").state());
        assertEquals(State.NOT_USED, module(r, "b").state());
    }

    @Test
    void nanobindReadsFreeThreadedFromCMake() {
        write(root, "CMakeLists.txt", "nanobind_add_module(fastmod FREE_THREADED NB_STATIC src/m.cpp)\n"
                + "nanobind_add_module(slowmod src/s.cpp)\n");
        write(root, "src/m.cpp", "NB_MODULE(fastmod, m) { }\n");
        write(root, "src/s.cpp", "NB_MODULE(slowmod, m) { }\n");
        SourceReport r = SourceScan.scan(root);
        assertEquals(State.NOT_USED, module(r, "fastmod").state());
        assertEquals("CMakeLists.txt:1", module(r, "fastmod").evidence());
        assertEquals(State.ABSENT, module(r, "slowmod").state());
    }

    @Test
    void cffiModulesFollowTheCffiRequirement() {
        write(root, "pyproject.toml", "[build-system]\nrequires = [\"setuptools\", \"cffi>=2.0.0\"]\n");
        write(root, "src/pkg/_build.py", "from cffi import FFI\nffibuilder = FFI()\n"
                + "ffibuilder.set_source(\"pkg._native\", '#include \"native.h\"')\n");
        GilDeclaration d = module(SourceScan.scan(root), "_native");
        assertEquals(State.NOT_USED, d.state());
        assertEquals("pyproject.toml:2", d.evidence());
        assertEquals("src/pkg/_build.py:3", d.file() + ":" + d.line());

        write(root, "pyproject.toml", "[build-system]\nrequires = [\"setuptools\", \"cffi>=1.15\"]\n");
        SourceReport old = SourceScan.scan(root);
        assertEquals(State.ABSENT, module(old, "_native").state());
        assertEquals(1, old.findings(dev.ftmatrix.abi.source.GilDeclarations.MISSING).size());

        write(root, "pyproject.toml", "[build-system]\nrequires = [\"setuptools\", \"cffi\"]\n");
        assertEquals(State.UNKNOWN, module(SourceScan.scan(root), "_native").state());
    }

    @Test
    void aTopLevelCffiBuildScriptCounts() {
        write(root, "setup.py", "setup(setup_requires=['cffi>=2'], cffi_modules=['build_ffi.py:ffi'])\n");
        write(root, "build_ffi.py", "ffi.set_source('_fast', 'static int x;')\n");
        assertEquals(State.NOT_USED, module(SourceScan.scan(root), "_fast").state());
    }
    @Test
    void aPyo3FfiModuleIsReadFromItsRustSlots() {
        write(root, "Cargo.toml", "[dependencies]\npyo3-ffi = \"0.22\"\n");
        write(root, "used/src/lib.rs", """
                #[no_mangle]
                pub unsafe extern "C" fn PyInit_used() -> *mut PyModuleDef {
                    let slots = Box::new([
                        PyModuleDef_Slot { slot: Py_mod_exec, value: exec as *mut c_void },
                        #[cfg(Py_3_13)]
                        PyModuleDef_Slot {
                            slot: pyo3_ffi::Py_mod_gil,
                            value: pyo3_ffi::Py_MOD_GIL_USED,
                        },
                        PyModuleDef_Slot { slot: 0, value: null_mut() },
                    ]);
                    init_ptr
                }
                """);
        write(root, "free/src/lib.rs", "pub unsafe extern \"C\" fn PyInit_free() -> *mut PyModuleDef {\n"
                + "    PyModuleDef_Slot { slot: Py_mod_gil, value: Py_MOD_GIL_NOT_USED }; }\n");
        write(root, "none/src/lib.rs", "// PyModuleDef_Slot { slot: Py_mod_gil, value: Py_MOD_GIL_NOT_USED }\n"
                + "pub unsafe extern \"C\" fn PyInit_none() -> *mut PyModuleDef { PyModuleDef_Init(def) }\n");
        SourceReport r = SourceScan.scan(root);
        GilDeclaration used = module(r, "used");
        assertEquals(State.USED, used.state());
        assertEquals("pyo3-ffi", used.binding());
        assertEquals("used/src/lib.rs:8", used.evidence());
        assertEquals(State.NOT_USED, module(r, "free").state());
        assertEquals(State.ABSENT, module(r, "none").state(), "a slot in a comment is no declaration");
    }

    @Test
    void anInitFunctionWhosePython2BranchSitsBeforeItsBraceIsRead() {
        write(root, "m.c", """
                #if PY_MAJOR_VERSION >= 3
                PyMODINIT_FUNC
                PyInit_m(void)
                #else  /* PY_MAJOR_VERSION */
                #define INITERROR return
                PyMODINIT_FUNC
                initm(void)
                #endif
                {
                    PyObject *mod = PyModule_Create(&def);
                #ifdef Py_GIL_DISABLED
                    PyUnstable_Module_SetGIL(mod, Py_MOD_GIL_NOT_USED);
                #endif
                }
                """);
        GilDeclaration d = module(SourceScan.scan(root), "m");
        assertEquals(State.NOT_USED, d.state());
        assertEquals("m.c:3", d.file() + ":" + d.line());
    }

    @Test
    void cythonTemplatesAndPurePythonModeAreModules() {
        write(root, "fast.pyx.in", "# cython: language_level=3, freethreading_compatible=True\n{{py: x = 1}}\n");
        write(root, "pkg/_pure.py", "# cython: freethreading_compatible = True\n\"\"\"doc\"\"\"\nimport cython\n");
        write(root, "pkg/plain.py", "import os\n# cython: freethreading_compatible = True (not a header: after code)\n");
        SourceReport r = SourceScan.scan(root);
        assertEquals(State.NOT_USED, module(r, "fast").state());
        GilDeclaration pure = module(r, "_pure");
        assertEquals(State.NOT_USED, pure.state());
        assertEquals("pkg/_pure.py:1", pure.evidence());
        assertTrue(r.modules().stream().noneMatch(m -> m.module().equals("plain")), r.modules().toString());
    }
    @Test
    void anIncludedPyxOfTheSameNameIsNotTheModule() {
        // mpi4py 4.0.1: src/mpi4py/MPI.pyx includes "MPI.src/MPI.pyx"
        write(root, "src/mpi4py/MPI.pyx", "# cython: freethreading_compatible=True\ninclude \"MPI.src/MPI.pyx\"\n");
        write(root, "src/mpi4py/MPI.src/MPI.pyx", "def f(): pass\n");
        write(root, "other/_packer.pyx", "def g(): pass\n");
        write(root, "other/_cmsgpack.pyx", "include \"_packer.pyx\"\n");
        SourceReport r = SourceScan.scan(root);
        GilDeclaration mpi = module(r, "MPI");
        assertEquals(State.NOT_USED, mpi.state());
        assertEquals("src/mpi4py/MPI.pyx", mpi.file());
        assertEquals(1, r.modules().stream().filter(m -> m.module().equals("MPI")).count(), r.modules().toString());
        assertTrue(r.modules().stream().noneMatch(m -> m.module().equals("_packer")), r.modules().toString());
    }
}
