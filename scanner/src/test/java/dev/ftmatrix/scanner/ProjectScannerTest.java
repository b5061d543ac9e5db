package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small projects written in the test, one per build system and binding layer. */
class ProjectScannerTest {
    @TempDir
    Path tmp;

    private ProjectScan scan(Map<String, String> files) throws IOException {
        Path dir = tmp.resolve("project");
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
        return new ProjectScanner().scan(new FetchedSource(dir, "sha256:test", "path:" + dir));
    }

    private static ProjectScan.Module module(ProjectScan s, String name) {
        return s.modules().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no module " + name + " in " + s.modules()));
    }

    private static ProjectScan.Binding layer(ProjectScan s, String name) {
        return s.bindingLayers().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no layer " + name + " in " + s.bindingLayers()));
    }

    @Test
    void pybind11WithAVendoredCopyAndScikitBuildCore() throws IOException {
        ProjectScan s = scan(Map.of(
                "pyproject.toml", """
                        [build-system]
                        requires = ["scikit-build-core>=0.10"]
                        build-backend = "scikit_build_core.build"

                        [project]
                        name = "pbdemo"
                        version = "1.2"
                        classifiers = ["Programming Language :: Python :: Free Threading :: 2 - Beta"]
                        """,
                "CMakeLists.txt", "add_subdirectory(extern/pybind11)\npybind11_add_module(_core src/main.cpp)\n",
                "src/main.cpp", "#include <pybind11/pybind11.h>\n\nPYBIND11_MODULE(_core, m, py::mod_gil_not_used()) {\n}\n",
                "extern/pybind11/include/pybind11/detail/common.h",
                "#define PYBIND11_VERSION_MAJOR 2\n#define PYBIND11_VERSION_MINOR 13\n#define PYBIND11_VERSION_PATCH 6\n",
                "extern/pybind11/tests/test_x.cpp", "PYBIND11_MODULE(vendored_test, m) {}\n"));
        assertEquals("scikit-build-core", s.buildBackend().name());
        assertEquals("pyproject.toml:3", s.buildBackend().evidence());
        assertEquals(1, s.modules().size(), "the vendored copy's own modules are not the project's: " + s.modules());
        ProjectScan.Module m = module(s, "_core");
        assertEquals("pybind11", m.bindingLayer());
        assertEquals("not-used", m.declaration());
        assertEquals("src/main.cpp:3", m.evidence());
        assertEquals(List.of("src/main.cpp"), m.sources());
        ProjectScan.Binding b = layer(s, "pybind11");
        assertEquals("2.13.6", b.version());
        assertEquals("extern/pybind11", b.vendoredAt());
        assertEquals("2 - Beta", s.freeThreadingClassifier().level());
        assertEquals(Boolean.TRUE, s.declaresFreeThreading());
    }

    @Test
    void cythonModulesWithAndWithoutTheDirectiveUnderMesonPython() throws IOException {
        ProjectScan s = scan(Map.of(
                "pyproject.toml", """
                        [build-system]
                        requires = ["meson-python>=0.16", "Cython>=3.1,<3.3"]
                        build-backend = "mesonpy"
                        [project]
                        name = "cydemo"
                        version = "0.1"
                        [project.optional-dependencies]
                        test = ["pytest>=8", "hypothesis"]
                        """,
                "meson.build", "py.extension_module('fast', files('pkg/fast.pyx'), subdir: 'pkg', install: true)\n"
                        + "py.extension_module('slow', 'pkg/slow.pyx', subdir: 'pkg', install: true)\n",
                "pkg/__init__.py", "",
                "pkg/fast.pyx", "# cython: language_level=3, freethreading_compatible = True\ndef f(): pass\n",
                "pkg/slow.pyx", "# cython: language_level=3\ndef g(): pass\n",
                "pkg/tests/test_fast.py", "def test(): pass\n"));
        assertEquals("meson-python", s.buildBackend().name());
        assertEquals("not-used", module(s, "pkg.fast").declaration());
        assertEquals("pkg/fast.pyx:1", module(s, "pkg.fast").evidence());
        assertEquals(List.of("pkg/fast.pyx"), module(s, "pkg.fast").sources());
        assertEquals("absent", module(s, "pkg.slow").declaration());
        assertEquals(Boolean.FALSE, s.declaresFreeThreading());
        assertEquals("Cython>=3.1,<3.3", layer(s, "cython").requirement());
        assertEquals(List.of("pkg/tests"), s.tests().directories());
        assertEquals(List.of("pytest>=8", "hypothesis"), s.tests().requirements());
    }

    private ProjectScan pyo3(String cargoDep, String lockVersion, String attribute) throws IOException {
        return scan(Map.of(
                "pyproject.toml", """
                        [build-system]
                        requires = ["maturin>=1.7,<2"]
                        build-backend = "maturin"
                        [tool.maturin]
                        module-name = "rsdemo._rs"
                        """,
                "Cargo.toml", "[package]\nname = \"rsdemo\"\nversion = \"0.1.0\"\n[lib]\nname = \"_rs\"\n"
                        + "crate-type = [\"cdylib\"]\n[dependencies]\npyo3 = " + cargoDep + "\n",
                "Cargo.lock", "version = 3\n[[package]]\nname = \"pyo3\"\nversion = \"" + lockVersion + "\"\n",
                "src/lib.rs", "use pyo3::prelude::*;\n\n" + attribute + "\nfn _rs(m: &Bound<'_, PyModule>) -> PyResult<()> {\n"
                        + "    Ok(())\n}\n\n#[pymodule]\nmod helpers {}\n"));
    }

    @Test
    void aPyo3ModulesDefaultIsJudgedByItsPyo3Version() throws IOException {
        ProjectScan old = pyo3("\"0.22\"", "0.22.6", "#[pymodule]");
        assertEquals("absent", module(old, "rsdemo._rs").declaration());
        assertTrue(module(old, "rsdemo._rs").mechanism().contains("needs >= 0.23"));
        assertEquals("0.22.6", layer(old, "pyo3").version());
        assertEquals("\"0.22\"".replace("\"", ""), layer(old, "pyo3").requirement());

        ProjectScan mid = pyo3("{ version = \"0.23.3\", features = [\"extension-module\"] }", "0.23.3", "#[pymodule]");
        assertEquals("absent", module(mid, "rsdemo._rs").declaration());
        assertEquals(Boolean.FALSE, mid.declaresFreeThreading());

        ProjectScan optedIn = pyo3("\"0.23.3\"", "0.23.3", "#[pymodule(gil_used = false)]");
        assertEquals("not-used", module(optedIn, "rsdemo._rs").declaration());
        assertEquals("#[pymodule(gil_used = false)]", module(optedIn, "rsdemo._rs").mechanism());

        ProjectScan modern = pyo3("{ version = \"0.28\", features = [\"abi3-py39\"] }", "0.28.2", "#[pymodule]");
        assertEquals("not-used", module(modern, "rsdemo._rs").declaration());
        assertEquals(Boolean.TRUE, modern.declaresFreeThreading());
        assertEquals(1, modern.modules().size(), "a nested #[pymodule] is a submodule, not an extension module");
        assertTrue(modern.limitedApi().used(), "the abi3 feature is the limited API");
        assertEquals("maturin", modern.buildBackend().name());

        ProjectScan optedOut = pyo3("\"0.28.2\"", "0.28.2", "#[pymodule(gil_used = true)]");
        assertEquals("used", module(optedOut, "rsdemo._rs").declaration());
    }

    @Test
    void nanobindFreeThreadedFlagInCmake() throws IOException {
        ProjectScan s = scan(Map.of(
                "pyproject.toml", "[build-system]\nrequires = [\"scikit-build-core\", \"nanobind>=2.2\"]\n"
                        + "build-backend = \"scikit_build_core.build\"\n",
                "CMakeLists.txt", "nanobind_add_module(\n  _nb\n  FREE_THREADED\n  src/nb.cpp\n)\n",
                "src/nb.cpp", "#include <nanobind/nanobind.h>\nNB_MODULE(_nb, m) {}\n"));
        assertEquals("not-used", module(s, "_nb").declaration());
        assertEquals("CMakeLists.txt:1", module(s, "_nb").evidence());
        assertEquals("nanobind>=2.2", layer(s, "nanobind").requirement());
    }

    @Test
    void cApiSlotsLimitedApiAndAMissingDefinition() throws IOException {
        ProjectScan s = scan(Map.of(
                "setup.py", "from setuptools import Extension, setup\nsetup(ext_modules=[\n"
                        + "    Extension('cdemo._a', sources=['src/a.c'], py_limited_api=True),\n"
                        + "    Extension(name='cdemo._gen', sources=['build/generated.c']),\n])\n",
                "src/a.c", "#define Py_LIMITED_API 0x030d0000\n#include <Python.h>\nstatic PyModuleDef_Slot slots[] = {\n"
                        + "    {Py_mod_exec, exec},\n    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n    {0, NULL}\n};\n"
                        + "PyMODINIT_FUNC\nPyInit__a(void)\n{\n    return PyModuleDef_Init(&def);\n}\n"));
        ProjectScan.Module a = module(s, "cdemo._a");
        assertEquals("not-used", a.declaration());
        assertEquals("Py_mod_gil slot", a.mechanism());
        assertEquals("src/a.c:5", a.evidence());
        ProjectScan.Module gen = module(s, "cdemo._gen");
        assertEquals("unknown", gen.declaration());
        assertEquals("setup.py:4", gen.evidence());
        assertNull(s.declaresFreeThreading(), "one module's declaration is unknown");
        assertTrue(s.limitedApi().used());
        assertTrue(s.limitedApi().evidence().containsAll(List.of("src/a.c:1", "setup.py:3")), s.limitedApi().evidence().toString());
    }

    @Test
    void aProjectWithoutExtensionsDeclaresNothing() throws IOException {
        ProjectScan s = scan(Map.of("pyproject.toml", "[build-system]\nrequires = [\"hatchling\"]\n"
                + "build-backend = \"hatchling.build\"\n[project]\nname = \"pure\"\nversion = \"1\"\n",
                "pure/__init__.py", ""));
        assertEquals("hatch", s.buildBackend().name());
        assertEquals(List.of(), s.modules());
        assertNull(s.declaresFreeThreading());
    }

    @Test
    void testRequirementsFromSetupCfgExtrasAndRequirementsFiles() throws IOException {
        ProjectScan s = scan(Map.of(
                "setup.cfg", "[metadata]\nname = cfgdemo\n\n[options.extras_require]\ntest =\n    pytest>=7\n"
                        + "    pytest-run-parallel  # threads\ndocs = sphinx\n",
                "setup.py", "from setuptools import setup\nsetup()\n",
                "requirements/tests.txt", "# pinned\nhypothesis==6.100.0\n-r base.txt\n",
                "test/test_a.py", "def test(): pass\n",
                "tox.ini", "[tox]\n"));
        assertEquals(List.of("test"), s.tests().directories());
        assertEquals(List.of("hypothesis==6.100.0", "pytest>=7", "pytest-run-parallel"), s.tests().requirements());
        assertEquals(List.of("requirements/tests.txt", "setup.cfg [options.extras_require] test"),
                s.tests().requirementSources());
        assertEquals("tox.ini", s.tests().tox());
        assertEquals("setuptools", s.buildBackend().name());
    }
}
