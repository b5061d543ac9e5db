package dev.ftmatrix.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleInitTest {
    private static List<String> names(List<ModuleInit> found) {
        return found.stream().map(ModuleInit::module).toList();
    }

    @Test
    void aCInitFunctionIsReadPastTheOtherBranchOfAPythonVersionCheck() {
        String c = """
                #if PY_MAJOR_VERSION >= 3
                PyMODINIT_FUNC PyInit__psutil_linux(void)
                #else
                PyMODINIT_FUNC init_psutil_linux(void)
                #endif
                {
                    return NULL;
                }
                PyObject *MyPyInit_x(void) { return NULL; }
                PyMODINIT_FUNC PyInit_decl(void);
                """;
        List<ModuleInit> found = ModuleInit.inC(c);
        assertEquals(List.of("_psutil_linux"), names(found));
        assertEquals(c.indexOf("_psutil_linux"), found.getFirst().nameStart());
    }

    @Test
    void anInitFunctionNamedThroughAMacroIsFoundAtItsDefinition() {
        String c = "#define INIT_BROTLI PyInit__brotli\nPyMODINIT_FUNC INIT_BROTLI(void) {\n}\n";
        List<ModuleInit> found = ModuleInit.aliasedInC(c);
        assertEquals(List.of("_brotli"), names(found));
        assertEquals(c.indexOf("INIT_BROTLI(void)"), found.getFirst().start());
        assertEquals(List.of(), ModuleInit.inC(c));
    }

    @Test
    void rustInitFunctionsOutsideCommentsAndPyo3ModulesWithTheirNames() {
        String rs = """
                /// ```
                /// // #[no_mangle] pub unsafe extern "C" fn PyInit_doc() -> *mut PyObject {
                // pub extern "C" fn PyInit_commented(
                #[no_mangle]
                pub unsafe extern "C" fn PyInit_orjson() -> *mut PyObject {
                """;
        assertEquals(List.of("orjson"), names(ModuleInit.inRust(rs)));
        String lib = """
                #[pymodule(gil_used = false)]
                #[pyo3(name = "rpds")]
                fn rpds_py(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }
                #[pyo3::pymodule]
                pub mod plain {}
                """;
        List<ModuleInit> found = ModuleInit.pyo3(lib, lib);
        assertEquals(List.of("rpds", "plain"), names(found));
        assertEquals("gil_used = false", found.getFirst().args());
        assertEquals(lib.indexOf("rpds_py"), found.getFirst().nameStart());
    }
}
