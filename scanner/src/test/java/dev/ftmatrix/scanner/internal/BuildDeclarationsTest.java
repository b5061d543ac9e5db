package dev.ftmatrix.scanner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modules as setup.py, meson and CMake define them, on small trees written here. */
class BuildDeclarationsTest {
    @TempDir
    Path dir;

    private BuildDeclarations.Found read(Map<String, String> files) throws IOException {
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
        SourceTree tree = SourceTree.of(dir);
        return BuildDeclarations.find(tree, PyprojectToml.read(tree, "pyproject.toml"));
    }

    private static Map<String, String> roles(BuildDeclarations.Found f) {
        return f.declared().stream().collect(Collectors.toMap(BuildDeclarations.Declared::name,
                BuildDeclarations.Declared::role, (a, b) -> a, java.util.TreeMap::new));
    }

    @Test
    void setupPyIsEvaluatedAsOnLinuxCpython() throws IOException {
        BuildDeclarations.Found f = read(Map.of("setup.py", """
                import sys, platform
                from setuptools import setup, Extension
                IS_PYPY = platform.python_implementation() == "PyPy"
                def ext(name, *srcs):
                    return Extension("pkg." + name, sources=["src/%s.c" % s for s in srcs])
                if sys.platform == "win32":
                    mods = [Extension("pkg._win", ["src/win.c"])]
                elif sys.platform.startswith("linux"):
                    mods = [ext("_linux", "linux", "common")]
                else:
                    mods = [Extension("pkg._mac", ["src/mac.c"])]
                mods += [ext(n, n) for n in ("_a", "_b")]
                if not IS_PYPY:
                    mods.append(Extension("pkg._speedups", ["src/speedups.c"]))
                setup(name="pkg", ext_modules=mods)
                """));
        assertEquals(Map.of("pkg._linux", "shipped", "pkg._a", "shipped", "pkg._b", "shipped",
                "pkg._speedups", "shipped", "pkg._win", "other-platform", "pkg._mac", "other-platform"), roles(f));
        assertTrue(f.complete());
        BuildDeclarations.Declared linux = f.declared().stream().filter(d -> d.name().equals("pkg._linux")).findFirst()
                .orElseThrow();
        assertEquals(List.of("src/linux.c", "src/common.c"), linux.sources());
        assertEquals("setup.py:5", linux.evidence());
    }

    @Test
    void mesonIsEvaluatedWithLoopsSubdirsAndBranches() throws IOException {
        BuildDeclarations.Found f = read(Map.of("meson.build", """
                project('p', 'c', 'cython')
                py = import('python').find_installation(pure: false)
                subdir('pkg')
                """, "pkg/meson.build", """
                mods = {
                  '_one': ['_one.pyx'],
                  '_two': files('_two.c'),
                }
                foreach name, src : mods
                  py.extension_module(name, src, subdir: 'pkg',
                    cython_args: ['-X', 'freethreading_compatible=True'], install: true)
                endforeach
                if host_machine.system() == 'windows'
                  py.extension_module('_win', '_win.c', subdir: 'pkg', install: true)
                endif
                py.extension_module('_helper_for_tests', '_h.c', subdir: 'pkg', install: false)
                """));
        assertEquals(Map.of("pkg._one", "shipped", "pkg._two", "shipped", "pkg._win", "other-platform",
                "pkg._helper_for_tests", "not-built"), roles(f));
        BuildDeclarations.Declared one = f.declared().getFirst();
        assertEquals(List.of("pkg/_one.pyx"), one.sources());
        assertTrue(one.buildFlags().contains("freethreading_compatible=True"), one.buildFlags().toString());
    }

    @Test
    void cmakeTargetsAreNamedByOutputNameAndInstallDestination() throws IOException {
        BuildDeclarations.Found f = read(Map.of("CMakeLists.txt", """
                cmake_minimum_required(VERSION 3.15)
                project(${SKBUILD_PROJECT_NAME} LANGUAGES CXX)
                #[[ a bracket comment
                pybind11_add_module(_commented src/x.cpp)
                ]]
                function(add_ext name)
                  python_add_library(${name} MODULE WITH_SOABI ${ARGN})
                  install(TARGETS ${name} DESTINATION ${SKBUILD_PROJECT_NAME})
                endfunction()
                add_subdirectory(src)
                if(WIN32)
                  add_ext(_win src/win.cpp)
                endif()
                """, "src/CMakeLists.txt", """
                nanobind_add_module(core_target FREE_THREADED core.cpp)
                set_target_properties(core_target PROPERTIES OUTPUT_NAME _core)
                target_compile_definitions(core_target PRIVATE CYTHON_FREETHREADING_COMPATIBLE=1)
                install(TARGETS core_target LIBRARY DESTINATION pkg/sub)
                add_ext(_fast fast.cpp)
                """, "pyproject.toml", """
                [project]
                name = "pkg"
                [build-system]
                build-backend = "scikit_build_core.build"
                """));
        assertEquals(Map.of("pkg.sub._core", "shipped", "pkg._fast", "shipped", "pkg._win", "other-platform"), roles(f));
        assertEquals("src/CMakeLists.txt:1", f.declared().getFirst().evidence());
        assertEquals(List.of("-DCYTHON_FREETHREADING_COMPATIBLE=1"), f.declared().getFirst().buildFlags());
    }

    @Test
    void maturinNamesThePackageAfterTheModule() throws IOException {
        BuildDeclarations.Found f = read(Map.of("pyproject.toml", """
                [build-system]
                build-backend = "maturin"
                """, "Cargo.toml", """
                [package]
                name = "fast-thing"
                [lib]
                name = "fast_thing"
                """));
        assertEquals(List.of("fast_thing.fast_thing"), f.declared().stream().map(BuildDeclarations.Declared::name).toList());
        assertTrue(f.maturin());
    }

    @Test
    void aPyxIncludedByAnotherIsNotAModule() throws IOException {
        read(Map.of("pkg/_main.pyx", "include \"_part.pyx\"\ninclude 'sub/_other.pyx'\n", "pkg/_part.pyx", "",
                "pkg/sub/_other.pyx", "", "pkg/_alone.pyx", ""));
        SourceTree tree = SourceTree.of(dir);
        assertEquals(java.util.Set.of("pkg/_part.pyx", "pkg/sub/_other.pyx"), ModuleDefinitions.cythonIncludes(tree));
        assertEquals(List.of("_alone", "_main"), ModuleDefinitions.find(tree).stream().map(ModuleDefinition::shortName)
                .sorted().toList());
    }
}
