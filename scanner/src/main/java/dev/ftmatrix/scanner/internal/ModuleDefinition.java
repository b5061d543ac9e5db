package dev.ftmatrix.scanner.internal;

/**
 * Where the source defines an extension module: its init function, binding macro, {@code .pyx} file or
 * {@code #[pymodule]}.
 *
 * @param shortName the module's last name part as the definition gives it
 * @param file the defining file, relative to the project root
 * @param line 1-based line of the definition
 * @param layer {@code c-api}, {@code cython}, {@code pybind11}, {@code nanobind}, {@code pyo3}, {@code pyo3-ffi} or {@code cffi}
 * @param detail the definition's own arguments where they matter (the macro's or attribute's text), else ""
 */
public record ModuleDefinition(String shortName, String file, int line, String layer, String detail) {
    public String evidence() {
        return file + ":" + line;
    }
}
