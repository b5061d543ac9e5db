package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.core.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A heuristic: file-scope mutable {@code static} variables in C (caches, counters, lazy-init flags). Every thread
 * sees them, and without the GIL their read-modify-writes race. Low severity: many are written once at import.
 */
public final class MutableStaticRule implements SourceRule {
    public static final String ID = "mutable-static";

    /** {@code static [qualifiers] type [*] name [= init];} at the start of a line, not a function, not const. */
    private static final Pattern STATIC = Pattern.compile(
            "static[ \\t]+(?!const\\b)((?:(?:volatile|unsigned|signed|long|short|struct)\\s+)*\\w+)(?:\\s*(\\*+)\\s*|\\s+)(\\w+)\\s*(=[^;{(]*)?;",
            0);
    /** Types whose static instances are definitions the interpreter reads, not state code changes. */
    private static final Set<String> TABLES = Set.of("PyMethodDef", "PyModuleDef", "PyModuleDef_Slot", "PyMemberDef",
            "PyGetSetDef", "PyType_Slot", "PyType_Spec", "PyTypeObject", "PyNumberMethods", "PySequenceMethods",
            "PyMappingMethods", "PyBufferProcs", "PyAsyncMethods", "struct PyModuleDef", "PyStructSequence_Desc",
            "PyStructSequence_Field");

    @Override
    public List<RuleInfo> describes() {
        return List.of(new RuleInfo(ID, "file-scope mutable static state shared by all threads (heuristic)",
                Finding.Severity.NOTE));
    }

    @Override
    public List<Finding> check(SourceFile file) {
        if (file.lang() != Lang.C) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        String code = file.code();
        Matcher m = STATIC.matcher(code);
        for (int at = code.startsWith("static") ? 0 : code.indexOf("\nstatic"); at >= 0; at = code.indexOf("\nstatic", at + 1)) {
            if (!m.region(code.charAt(at) == '\n' ? at + 1 : at, code.length()).lookingAt()) {
                continue;
            }
            String type = m.group(1).replaceAll("\\s+", " ");
            if (TABLES.contains(type) || type.equals("inline")) {
                continue;
            }
            String decl = m.group().strip();
            out.add(SourceRule.at(file, m.start(3), ID, Finding.Severity.NOTE, decl,
                    "'" + m.group(3) + "' is process-wide mutable state: without the GIL, threads calling into the"
                            + " module at once race on it (lost updates, double initialisation, torn pointers)",
                    "move it into module state (PyModule_GetState), make it thread-local, or guard it with a PyMutex /"
                            + " atomics (initialise lazily with PyOnceFlag-style double-checked locking)"));
        }
        return out;
    }
}
