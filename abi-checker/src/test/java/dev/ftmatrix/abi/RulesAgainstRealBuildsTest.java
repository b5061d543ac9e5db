package dev.ftmatrix.abi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.abi.source.BorrowedReferenceRule;
import dev.ftmatrix.support.Processes;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the source rules claim about free-threaded builds, checked by compiling against the real headers. */
@Tag("slow")
class RulesAgainstRealBuildsTest {
    @TempDir
    Path tmp;

    @Test
    void refcountFieldAccessCompilesWithTheGilAndNotFreeThreaded() {
        String src = "#include <Python.h>\nPy_ssize_t n(PyObject *o) { return o->ob_refcnt; }\n";
        assertTrue(RealToolchains.compile(RealToolchains.gil(), src, tmp).ok());
        Processes.Run ft = RealToolchains.compile(RealToolchains.ft(), src, tmp);
        assertFalse(ft.ok());
        assertTrue(ft.output().contains("ob_refcnt"), ft.output());
    }

    @Test
    void refcountAssignmentDoesNotCompileOnEitherBuild() {
        String src = "#include <Python.h>\nvoid s(PyObject *o) { Py_REFCNT(o) = 1; }\n";
        assertFalse(RealToolchains.compile(RealToolchains.gil(), src, tmp).ok());
        assertFalse(RealToolchains.compile(RealToolchains.ft(), src, tmp).ok());
    }

    @Test
    void everyReplacementTheBorrowedReferenceRuleNamesIsExportedByBothBuilds() {
        var symbols = RealToolchains.delta().symbols();
        assertTrue(symbols.onlyGil().isEmpty() || symbols.onlyGil().stream().noneMatch(
                BorrowedReferenceRule.replacements().values()::contains));
        for (var t : java.util.List.of(RealToolchains.gil(), RealToolchains.ft())) {
            var exported = dev.ftmatrix.abi.headers.ElfSymbols.exported(t.libpython());
            for (String replacement : BorrowedReferenceRule.replacements().values()) {
                assertTrue(exported.contains(replacement), replacement + " in " + t.libpython());
            }
        }
    }

    @Test
    void theGuardedLimitedApiFromTheCleanFixtureCompilesOnBothBuilds() throws Exception {
        String clean = java.nio.file.Files.readString(SourceScanTest.fixture("clean").resolve("src/clean.c"));
        assertTrue(RealToolchains.compile(RealToolchains.gil(), clean, tmp).ok());
        Processes.Run ft = RealToolchains.compile(RealToolchains.ft(), clean, tmp);
        assertTrue(ft.ok(), ft.output());
        String unsafe = "#define Py_LIMITED_API 0x030d0000\n#include <Python.h>\n";
        assertFalse(RealToolchains.compile(RealToolchains.ft(), unsafe, tmp).ok());
    }
}
