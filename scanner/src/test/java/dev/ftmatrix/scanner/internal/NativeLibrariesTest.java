package dev.ftmatrix.scanner.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeLibrariesTest {
    private static final String[] COMMON_H = """
            #if defined(NO_CPYTHON_MODULE)
             #define FAKE_INIT(x)
            #elif defined(_MSC_VER) || defined(__MINGW32__)
             #include <Python.h>
             #if PY_MAJOR_VERSION >= 3
              #define FAKE_INIT(x) PyMODINIT_FUNC _PASTE2(PyInit__,x) (void) { return NULL; }
             #else
              #define FAKE_INIT(x) PyMODINIT_FUNC _PASTE2(init_,x) (void) { return; }
             #endif
            #else
             #define FAKE_INIT(x) PyMODINIT_FUNC _PASTE2(PyInit__,x) (void) { return NULL; }
            #endif
            #if !defined(_WIN32)
             #define OTHER(x) PyInit_##x
            #endif
            """.split("\n");

    @Test
    void aDefinitionUnderAWindowsBranchIsWindowsOnly() {
        assertTrue(NativeLibraries.windowsBranch(COMMON_H, 5), "inside #if PY_MAJOR_VERSION, inside #elif _MSC_VER");
    }

    @Test
    void theElseOfAWindowsBranchAndANegatedConditionAreNot() {
        assertFalse(NativeLibraries.windowsBranch(COMMON_H, 10), "the #else after #elif _MSC_VER is Linux's branch");
        assertFalse(NativeLibraries.windowsBranch(COMMON_H, 13), "#if !defined(_WIN32) holds on Linux");
    }
}
