package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.abi.headers.HeaderVariants;
import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Uses of private {@code _Py*} names whose definition differs between the GIL and the free-threaded build, as a
 * measured {@link HeaderDelta} lists them (macros, inline functions, declarations, and symbols only one libpython
 * exports): code written against one build's internals compiles to something else, or not at all, on the other.
 */
public final class InternalApiRule implements SourceRule {
    public static final String ID = "build-dependent-internal";

    private final Map<String, String> differing = new LinkedHashMap<>();
    /** Names that exist in one build only: true for the free-threaded build, false for the GIL build. */
    private final Map<String, Boolean> onlyIn = new LinkedHashMap<>();
    private final String ft;

    public InternalApiRule(HeaderDelta delta) {
        this.ft = delta.ft();
        for (HeaderDelta.Definition d : delta.definitions()) {
            if (d.name().startsWith("_Py") && !d.kind().equals("config")) {
                String where = d.ft().isEmpty() ? "only in the GIL build (" + d.file() + ":" + d.gilLine() + ")"
                        : d.gil().isEmpty() ? "only in the free-threaded build (" + d.file() + ":" + d.ftLine() + ")"
                        : "differently in each build (" + d.file() + ":" + d.ftLine() + " with Py_GIL_DISABLED, "
                                + d.file() + ":" + d.gilLine() + " without)";
                differing.putIfAbsent(d.name(), d.kind() + " defined " + where);
                if (d.ft().isEmpty() != d.gil().isEmpty()) {
                    onlyIn.putIfAbsent(d.name(), d.gil().isEmpty());
                }
            }
        }
        delta.symbols().onlyFt().stream().filter(n -> n.startsWith("_Py")).forEach(n -> {
            differing.putIfAbsent(n, "exported only by " + delta.symbols().ftLibrary());
            onlyIn.putIfAbsent(n, true);
        });
        delta.symbols().onlyGil().stream().filter(n -> n.startsWith("_Py")).forEach(n -> {
            differing.putIfAbsent(n, "exported only by " + delta.symbols().gilLibrary());
            onlyIn.putIfAbsent(n, false);
        });
    }

    public static RuleInfo info() {
        return new RuleInfo(ID, "private _Py API whose definition differs between the GIL and the free-threaded build",
                Finding.Severity.WARNING);
    }

    @Override
    public List<RuleInfo> describes() {
        return List.of(info());
    }

    @Override
    public List<Finding> check(SourceFile file) {
        if (file.lang() == Lang.BUILD || differing.isEmpty()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        String code = file.code();
        String[] ftView = null;
        String[] gilView = null;
        for (int[] id : SourceFile.identifiers(code, "_Py")) {
            String name = code.substring(id[0], id[1]);
            String what = differing.get(name);
            if (what != null && onlyIn.containsKey(name) && file.lang() == Lang.C) {
                if (ftView == null) {
                    var v = new HeaderVariants(code, file.text());
                    ftView = v.ft().split("\n", -1);
                    gilView = v.gil().split("\n", -1);
                }
                // used only where the build that has it compiles: #ifdef Py_GIL_DISABLED around an ft-only name
                String[] other = onlyIn.get(name) ? gilView : ftView;
                int line = file.line(id[0]) - 1;
                if (line < other.length && other[line].isBlank()) {
                    continue;
                }
            }
            if (what != null) {
                out.add(SourceRule.at(file, id[0], ID, Finding.Severity.WARNING, name,
                        name + " is a private CPython API, " + what + " (measured on " + ft + ")",
                        "use the public API it backs (Py_REFCNT, Py_INCREF, PyUnstable_* ...), or guard this use with"
                                + " #ifdef Py_GIL_DISABLED and test both builds"));
            }
        }
        return out;
    }
}
