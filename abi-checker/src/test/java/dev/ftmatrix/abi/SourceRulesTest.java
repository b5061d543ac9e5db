package dev.ftmatrix.abi;

import static dev.ftmatrix.abi.SourceScanTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ftmatrix.core.Finding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceRulesTest {
    @TempDir
    Path root;

    private List<String> found(String file, String text) {
        write(root, file, text);
        return SourceScan.scan(root).findings().stream().filter(f -> f.file().equals(file))
                .map(f -> f.line() + ":" + f.column() + " " + f.rule() + " " + f.text()).toList();
    }

    @Test
    void commentsStringsAndLongerNamesDoNotMatch() {
        assertEquals(List.of(), found("a.c", """
                // PyDict_GetItem(d, k)
                /* PyList_GetItem(l, 0); o->ob_refcnt
                   Py_REFCNT(o) = 2; */
                const char *s = "PyDict_GetItem \\" PyWeakref_GetObject";
                char c = '"'; int x = PyDict_GetItemRef(d, k, &v) + PyList_GetItemRef(l, 0) != 0;
                int y = my_PyDict_GetItem(d) + PyDict_GetItemStringRef(d, "k", &v);
                if (Py_REFCNT(o) == 1 || Py_REFCNT(o) <= 2) {}
                """));
    }

    @Test
    void usesInsideACriticalSectionAreTheFixNotAFinding() {
        assertEquals(List.of("8:1 unlocked-iteration PyDict_Next"), found("cs.c", """
                Py_BEGIN_CRITICAL_SECTION(d);
                while (PyDict_Next(d, &pos, &k, &v)) {
                    Py_BEGIN_CRITICAL_SECTION2(a, b);
                    o = PyList_GET_ITEM(l, 0);
                    Py_END_CRITICAL_SECTION2();
                }
                Py_END_CRITICAL_SECTION();
                PyDict_Next(d, &pos, &k, &v);
                """));
    }

    @Test
    void mutableStaticNamesTheVariableAfterMultiWordTypes() {
        write(root, "m.c", "static long long counter;\nstatic unsigned int *hits = NULL;\nstatic PyMethodDef methods[1];\n");
        List<Finding> fs = SourceScan.scan(root).findings("mutable-static");
        assertEquals(List.of("1:18", "2:22"), fs.stream().map(f -> f.line() + ":" + f.column()).toList());
        assertEquals(true, fs.get(0).why().startsWith("'counter' "), fs.get(0).why());
        assertEquals(true, fs.get(1).why().startsWith("'hits' "), fs.get(1).why());
    }

    @Test
    void aPyxIncludedByAnotherIsNotAModule() {
        write(root, "pkg/_main.pyx", "# cython: freethreading_compatible=True\ninclude \"_part.pyx\"\n");
        write(root, "pkg/_part.pyx", "def f(): pass\n");
        assertEquals(List.of("_main"), SourceScan.scan(root).modules().stream().map(GilDeclaration::module).toList());
    }

    @Test
    void aLineCommentContinuedByBackslashIsStillAComment() {
        assertEquals(List.of("3:1 borrowed-reference PyDict_GetItem"), found("a.c", """
                // a comment \\
                PyDict_GetItem(d, k);
                PyDict_GetItem(d, k);
                """));
    }

    @Test
    void refcountRulesInCAndRust() {
        assertEquals(List.of("1:10 refcount-field ->ob_refcnt", "2:8 refcount-assignment Py_REFCNT(o)++",
                "3:10 type-field .ob_type"), found("a.c", """
                n = obj->ob_refcnt;
                n = 1; Py_REFCNT(o)++;
                s = (*o).ob_type;
                """));
        assertEquals(List.of("2:25 refcount-field .ob_refcnt"), found("lib.rs", """
                let s = "o.ob_refcnt"; let c = 'x'; fn f<'a>(x: &'a u8) {}
                let n = unsafe { (*ptr).ob_refcnt };
                """));
    }

    @Test
    void limitedApiUnderANotFreeThreadedGuardIsFine() {
        assertEquals(List.of(), found("g.c", """
                #include <pyconfig.h>
                #if !defined(Py_GIL_DISABLED)
                #  define Py_LIMITED_API 0x030a0000
                #endif
                #ifdef Py_GIL_DISABLED
                #else
                #define Py_LIMITED_API 0x030a0000
                #endif
                #if !defined(Py_GIL_DISABLED) && !defined(Py_LIMITED_API)
                #  define Py_LIMITED_API 0x030d0000
                #endif
                """));
        assertEquals(List.of("5:9 limited-api #define Py_LIMITED_API"), found("h.c", """
                #ifdef Py_GIL_DISABLED
                #else
                #endif
                #ifndef SOMETHING_ELSE
                #define Py_LIMITED_API 0x030a0000
                #endif
                """));
    }

    @Test
    void limitedApiInBuildConfigs() {
        assertEquals(List.of("3:7 limited-api py-api = \"cp38\""), found("pyproject.toml", """
                [tool.scikit-build]
                # wheel.py-api = "cp37" was the old one
                wheel.py-api = "cp38"
                """));
        assertEquals(List.of("1:48 limited-api limited_api"), found("meson.build",
                "py.extension_module('m', 'm.c', install: true, limited_api: '3.9')\n"));
        assertEquals(List.of(), found("setup.py",
                "Extension('m', ['m.c'], py_limited_api=not sysconfig.get_config_var('Py_GIL_DISABLED'))\n"));
    }

    @Test
    void cimportLinesAreNotCallsButCallsInCythonAre() {
        assertEquals(List.of("1:1 gil-declaration-missing m", "3:20 borrowed-reference PyList_GET_ITEM"), found("m.pyx", """
                from cpython.list cimport PyList_GET_ITEM
                def first(list l):
                    return <object>PyList_GET_ITEM(l, 0)
                """));
    }

    @Test
    void vendoredTreesAreSkippedUnlessAsked() {
        write(root, "third_party/lib/x.c", "PyObject *o = PyDict_GetItem(d, k);\n");
        write(root, "src/pythoncapi_compat.h", "return PyDict_GetItem(d, k);\n");
        write(root, "build/lib/y.c", "PyObject *o = PyDict_GetItem(d, k);\n");
        write(root, "gen.c", "/* Generated by Cython 3.1.2 */\nPyObject *o = PyDict_GetItem(d, k);\n");
        assertEquals(0, SourceScan.scan(root).findings().size());
        List<String> all = new SourceScan(root).skipVendored(false).call().findings().stream().map(Finding::file).toList();
        assertEquals(List.of("src/pythoncapi_compat.h", "third_party/lib/x.c"), all);
    }

    @Test
    void aMissingDirectoryIsAUserError() {
        org.junit.jupiter.api.Assertions.assertThrows(dev.ftmatrix.core.UserInputException.class,
                () -> SourceScan.scan(root.resolve("nope")));
    }
}
