package dev.ftmatrix.abi.mirror;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.abi.source.SourceFile;
import dev.ftmatrix.core.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ffi-check idea applied to a project's own mirrors of CPython structs: each struct of the project that mirrors
 * one (same name, as in pyo3-ffi or ctypes bindings, or sharing its distinctive field names such as
 * {@code ob_refcnt}/{@code ob_type}) is laid out as each build compiles it and compared, field by field, with the
 * real struct measured from that build's headers. Fields at another offset in the free-threaded build are errors.
 */
public final class StructMirrors {
    public static final String ID = "struct-mirror";
    /** A field name as CPython prefixes them: ob_, tp_, ma_, ml_, m_... */
    private static final String FIX = "use the real struct from Python.h (or the binding's own, e.g. pyo3-ffi >= 0.23),"
            + " or lay the mirror out for free-threaded builds under #ifdef Py_GIL_DISABLED / #[cfg(Py_GIL_DISABLED)]";
    private static final Pattern DISTINCTIVE = Pattern.compile("^[a-z]{1,3}_\\w+$");

    private StructMirrors() {
    }

    public static RuleInfo info() {
        return new RuleInfo(ID, "a project's own copy of a CPython struct whose field offsets disagree with the"
                + " real struct in the free-threaded build", Finding.Severity.ERROR);
    }

    /** Findings for the mirrors in {@code files} and the ctypes {@code python} sources (path to text). */
    public static List<Finding> check(List<SourceFile> files, Map<String, String> python, HeaderDelta delta) {
        int minor = Integer.parseInt(delta.version().split("\\.")[1]);
        Map<String, HeaderDelta.StructDelta> realByName = new HashMap<>();
        delta.structs().forEach(s -> realByName.put(s.name(), s));
        // each build's view of every mirror, keyed by file then name: names repeat across languages
        Map<Boolean, Map<String, Map<String, Mirror>>> views = new LinkedHashMap<>();
        for (boolean ft : new boolean[] {false, true}) {
            Map<String, Map<String, Mirror>> byFile = new LinkedHashMap<>();
            for (SourceFile f : files) {
                MirrorParser.parse(f, ft, minor).forEach(m ->
                        byFile.computeIfAbsent(m.file(), k -> new LinkedHashMap<>()).putIfAbsent(m.name(), m));
            }
            python.forEach((path, text) -> MirrorParser.python(path, text).forEach(m ->
                    byFile.computeIfAbsent(m.file(), k -> new LinkedHashMap<>()).putIfAbsent(m.name(), m)));
            views.put(ft, byFile);
        }
        List<String> sources = new ArrayList<>(python.values());
        files.forEach(f -> sources.add(f.text()));
        List<Finding> out = new ArrayList<>();
        for (var file : views.get(true).entrySet()) {
            Map<String, Mirror> ftView = file.getValue();
            Map<String, Mirror> gilView = views.get(false).getOrDefault(file.getKey(), Map.of());
            for (Mirror ftMirror : ftView.values()) {
                Mirror gilMirror = gilView.getOrDefault(ftMirror.name(), ftMirror);
                HeaderDelta.StructDelta target = target(ftMirror, gilMirror, realByName);
                Map<String, String> original = Map.of();
                String shape = target == null ? ObjectShape.header(gilMirror) : null;
                // (a mirror laid out for each build, under #ifdef Py_GIL_DISABLED, has another shape there: it is right)
                if (shape != null && shape.equals(ObjectShape.header(ftMirror)) && ObjectShape.castTo(ftMirror.name(), sources)) {
                    // an object header under names of its own, found by its shape and a cast to it
                    target = realByName.get(shape);
                    ObjectShape.Renamed ft = ObjectShape.rename(ftMirror, shape);
                    original = ft.original();
                    ftMirror = ft.mirror();
                    gilMirror = ObjectShape.rename(gilMirror, shape).mirror();
                }
                if (target == null || target.ft() == null) {
                    continue;
                }
                MirrorLayout.Computed ftLayout = new MirrorLayout(ftView, layouts(delta, true)).of(ftMirror);
                MirrorLayout.Computed gilLayout = new MirrorLayout(gilView, layouts(delta, false)).of(gilMirror);
                if (ftLayout == null) {
                    continue;
                }
                compare(ftMirror, ftLayout, gilLayout, target, ftMirror.name().equals(target.name()), realByName, delta,
                        original, out);
            }
        }
        return out;
    }

    private static void compare(Mirror m, MirrorLayout.Computed ft, MirrorLayout.Computed gil,
                                HeaderDelta.StructDelta target, boolean sameName,
                                Map<String, HeaderDelta.StructDelta> realByName, HeaderDelta delta,
                                Map<String, String> original, List<Finding> out) {
        for (Mirror.Field f : m.fields()) {
            HeaderDelta.StructDelta real = owner(target, f.name(), realByName);
            if (real == null) {
                continue; // the project's own field
            }
            Long mine = ft.offsets().get(f.name());
            Long realFt = real.ft().fields().get(f.name());
            boolean onlyGil = realFt == null;
            if (Objects.equals(mine, realFt)) {
                continue;
            }
            String where = real.name() + " (" + real.file() + ":" + real.line() + ")";
            String own = original.getOrDefault(f.name(), f.name());
            String mirrors = own.equals(f.name()) ? "" : " (by its shape, " + real.name() + "." + f.name() + ")";
            Long mineGil = gil == null ? null : gil.offsets().get(f.name());
            boolean gilAgrees = real.gil() != null && Objects.equals(mineGil, real.gil().fields().get(f.name()));
            String why = onlyGil
                    ? m.name() + "." + own + " mirrors " + real.name() + "." + f.name() + ", which the free-threaded build"
                            + " does not have (" + delta.ft() + " lays out " + where + " as " + real.ft().fields().keySet() + ")"
                    : m.name() + "." + own + mirrors + " is at offset " + mine + " here, but " + real.name() + "." + f.name()
                            + " is at offset " + realFt + " in the free-threaded build (" + delta.ft() + ")"
                            + (gilAgrees ? "; it matches only the GIL build" : "");
            out.add(new Finding(ID, Finding.Severity.ERROR, m.file(), f.line(), 1, m.name() + "." + own, why, FIX));
        }
        HeaderDelta.StructDelta real = target;
        if (sameName && ft.size() != real.ft().size()) {
            out.add(new Finding(ID, Finding.Severity.ERROR, m.file(), m.line(), 1, m.name(),
                    m.name() + " is " + ft.size() + " bytes here, but " + real.name() + " is " + real.ft().size()
                            + " bytes in the free-threaded build (" + delta.ft() + ")",
                    FIX));
        }
    }

    /** The CPython struct {@code m} mirrors, or null: the same name, else the best distinctive field-name overlap. */
    private static HeaderDelta.StructDelta target(Mirror ft, Mirror gil, Map<String, HeaderDelta.StructDelta> real) {
        HeaderDelta.StructDelta same = real.get(ft.name());
        if (same != null) {
            return same;
        }
        Set<String> names = new LinkedHashSet<>();
        ft.fields().forEach(f -> names.add(f.name()));
        gil.fields().forEach(f -> names.add(f.name()));
        HeaderDelta.StructDelta best = null;
        int bestScore = 0;
        for (HeaderDelta.StructDelta r : real.values().stream()
                .sorted(Comparator.comparing(HeaderDelta.StructDelta::name)).toList()) {
            Set<String> theirs = new LinkedHashSet<>();
            if (r.gil() != null) {
                theirs.addAll(r.gil().fields().keySet());
            }
            if (r.ft() != null) {
                theirs.addAll(r.ft().fields().keySet());
            }
            List<String> common = names.stream().filter(theirs::contains).toList();
            boolean distinctive = common.stream().anyMatch(n -> DISTINCTIVE.matcher(n).matches() && !n.equals("ob_base"));
            if (common.size() >= 2 && distinctive && common.size() * 2 >= names.size() && common.size() > bestScore) {
                best = r;
                bestScore = common.size();
            }
        }
        return best;
    }

    /**
     * The struct that declares {@code field}: the target itself, else, for an object struct that starts with
     * {@code ob_base}, the object headers PyVarObject and PyObject at offset 0 (mirrors often flatten them).
     */
    private static HeaderDelta.StructDelta owner(HeaderDelta.StructDelta target, String field,
                                                 Map<String, HeaderDelta.StructDelta> real) {
        if (has(target, field)) {
            return target;
        }
        boolean object = Long.valueOf(0).equals(target.ft().fields().get("ob_base"))
                || target.name().equals("PyVarObject");
        if (object) {
            for (String header : List.of("PyVarObject", "PyObject")) {
                HeaderDelta.StructDelta h = real.get(header);
                if (h != null && h.ft() != null && has(h, field) && !field.equals("ob_base")) {
                    return h;
                }
            }
        }
        return null;
    }

    private static boolean has(HeaderDelta.StructDelta s, String field) {
        return (s.ft() != null && s.ft().fields().containsKey(field))
                || (s.gil() != null && s.gil().fields().containsKey(field));
    }

    private static Map<String, HeaderDelta.Layout> layouts(HeaderDelta d, boolean ft) {
        Map<String, HeaderDelta.Layout> out = new HashMap<>();
        for (HeaderDelta.StructDelta s : d.structs()) {
            HeaderDelta.Layout l = ft ? s.ft() : s.gil();
            if (l != null) {
                out.put(s.name(), l);
            }
        }
        return out;
    }
}
