package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.GilDeclaration;
import dev.ftmatrix.abi.source.GilDeclarations.Evidence;
import dev.ftmatrix.core.ModuleInit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Modules written in Rust over {@code pyo3-ffi} (or hand-made bindings) without PyO3's {@code #[pymodule]}: an
 * exported {@code extern "C" fn PyInit_x} that builds its own {@code PyModuleDef} (orjson, ormsgpack). What they
 * declare is read as in C: a {@code PyModuleDef_Slot { slot: Py_mod_gil, value: ... }} in the same file, or a call to
 * {@code PyUnstable_Module_SetGIL}; without either the interpreter assumes the GIL is needed.
 */
final class Pyo3Ffi {
    /** A path prefix such as {@code pyo3_ffi::} or {@code ffi::}. */
    private static final String PATH = "(?:\\w+\\s*::\\s*)*";
    private static final Pattern SLOT = Pattern.compile("\\bslot\\s*:\\s*" + PATH + "Py_mod_gil\\s*,\\s*value\\s*:\\s*"
            + PATH + "(\\w+)|\\bvalue\\s*:\\s*" + PATH + "(\\w+)\\s*,\\s*slot\\s*:\\s*" + PATH + "Py_mod_gil\\b");
    private static final Pattern SET_GIL = Pattern.compile(
            "\\bPyUnstable_Module_SetGIL\\s*\\([^,;]+,\\s*" + PATH + "(\\w+)");

    private Pyo3Ffi() {
    }

    static void find(List<SourceFile> files, List<GilDeclaration> modules) {
        for (SourceFile f : files) {
            if (f.lang() != Lang.RUST || !f.code().contains("PyInit_")) {
                continue;
            }
            List<Evidence> evidence = null;
            for (ModuleInit m : ModuleInit.inRust(f.code())) {
                if (evidence == null) {
                    evidence = evidence(f);
                }
                modules.add(GilDeclarations.declare(m.module(), "pyo3-ffi", f, m.nameStart(), evidence));
            }
        }
    }

    private static List<Evidence> evidence(SourceFile f) {
        List<Evidence> out = new ArrayList<>();
        Matcher s = SLOT.matcher(f.code());
        while (s.find()) {
            int at = s.group(1) != null ? s.start(1) : s.start(2);
            out.add(new Evidence(GilDeclarations.cValue(s.group(1) != null ? s.group(1) : s.group(2)),
                    "Py_mod_gil slot", f.path(), f.line(at)));
        }
        Matcher g = SET_GIL.matcher(f.code());
        while (g.find()) {
            out.add(new Evidence(GilDeclarations.cValue(g.group(1)), "PyUnstable_Module_SetGIL", f.path(),
                    f.line(g.start())));
        }
        return out;
    }
}
