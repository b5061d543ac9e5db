package dev.ftmatrix.abi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * What one extension module declares about the GIL, read from its source and build configuration.
 *
 * @param module the module's name ({@code PyInit_<name>}, the .pyx stem, the PyO3 function)
 * @param binding how it is written: {@code c-api}, {@code cython}, {@code pybind11}, {@code nanobind}, {@code pyo3}
 * @param state what the declaration says
 * @param mechanism how it says it: {@code Py_mod_gil slot}, {@code # cython: freethreading_compatible}, ...
 * @param file where the module is defined (relative to the scan root)
 * @param line its line
 * @param evidenceFile where the declaration (or, for a default, the version it follows) was read; empty when absent
 * @param evidenceLine its line; 0 when absent
 */
public record GilDeclaration(String module, String binding, State state, String mechanism, String file, int line,
                             String evidenceFile, int evidenceLine) {
    /** The declared GIL use. */
    public enum State {
        /** The module declares it runs without the GIL: a free-threaded interpreter keeps the GIL off. */
        @JsonProperty("not-used") NOT_USED,
        /** The module declares it needs the GIL: importing it re-enables the GIL. */
        @JsonProperty("used") USED,
        /** No declaration: the interpreter assumes the GIL is needed and re-enables it on import. */
        @JsonProperty("absent") ABSENT,
        /** A declaration whose value could not be read (a macro, a computed value, an unknown binding version). */
        @JsonProperty("unknown") UNKNOWN;

        /** The word the reports show: {@code not-used}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code file:line} of the evidence, or of the module when there is none. */
    public String evidence() {
        return evidenceFile.isEmpty() ? file + ":" + line : evidenceFile + ":" + evidenceLine;
    }
}
