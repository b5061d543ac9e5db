package dev.ftmatrix.dashboard.internal;

import dev.ftmatrix.core.HeaderDelta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mustache model of one header delta's section ({@code abi-section.html.mustache}). */
public final class DeltaModel {
    private DeltaModel() {
    }

    /** The section of {@code d}: the structs whose layout differs, the definitions, the exports and the guards. */
    public static Map<String, Object> section(HeaderDelta d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", d.version());
        m.put("gil", d.gil());
        m.put("ft", d.ft());
        m.put("structs", d.differing().stream().map(s -> Map.<String, Object>of("name", s.name(),
                "where", s.file() + ":" + s.line(),
                "gilSize", s.gil() == null ? "-" : Long.toString(s.gil().size()),
                "ftSize", s.ft() == null ? "-" : Long.toString(s.ft().size()),
                "moved", String.join(", ", s.movedFields()))).toList());
        m.put("definitions", d.definitions().stream().map(def -> Map.of("name", def.name(), "kind", def.kind(),
                "file", def.file())).toList());
        m.put("ftLibrary", d.symbols().ftLibrary());
        m.put("onlyFt", String.join(" ", d.symbols().onlyFt()));
        m.put("gilLibrary", d.symbols().gilLibrary());
        m.put("onlyGil", String.join(" ", d.symbols().onlyGil()));
        m.put("guards", d.guards().stream().map(g -> Map.of("where", g.file() + ":" + g.line(),
                "condition", g.condition(), "message", g.message())).toList());
        return m;
    }

    /** The models of {@code deltas}' sections, in order. */
    public static List<Map<String, Object>> sections(List<HeaderDelta> deltas) {
        return deltas.stream().map(DeltaModel::section).toList();
    }
}
