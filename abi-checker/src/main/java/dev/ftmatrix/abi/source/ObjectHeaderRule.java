package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.core.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code that reaches into the object header: {@code ->ob_refcnt}, {@code ->ob_type}, and {@code Py_REFCNT(o) = n}. The
 * free-threaded {@code PyObject} has no {@code ob_refcnt} (it splits the count into {@code ob_ref_local} and
 * {@code ob_ref_shared}, updated atomically), so such code does not compile there or races.
 */
public final class ObjectHeaderRule implements SourceRule {
    public static final String REFCNT_FIELD = "refcount-field";
    public static final String TYPE_FIELD = "type-field";
    public static final String REFCNT_ASSIGNMENT = "refcount-assignment";

    /** A member access right before a field name: {@code ->} or {@code .}, maybe with spaces. */
    private static final Pattern ACCESS = Pattern.compile("(?:->|\\.)\\s*$");
    private static final Pattern REFCNT_MACRO = Pattern.compile("\\bPy_REFCNT\\s*\\(");
    private static final Pattern ASSIGN = Pattern.compile("\\G\\s*(=(?!=)|\\+=|-=|\\+\\+|--)");

    @Override
    public List<RuleInfo> describes() {
        return List.of(
                new RuleInfo(REFCNT_FIELD, "direct access to ob_refcnt, which the free-threaded PyObject does not have",
                        Finding.Severity.ERROR),
                new RuleInfo(TYPE_FIELD, "direct access to ob_type instead of Py_TYPE/Py_SET_TYPE", Finding.Severity.WARNING),
                new RuleInfo(REFCNT_ASSIGNMENT, "assignment through Py_REFCNT(), which is not an lvalue",
                        Finding.Severity.ERROR));
    }

    @Override
    public List<Finding> check(SourceFile file) {
        if (file.lang() == Lang.BUILD) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        String code = file.code();
        List<int[]> ids = new ArrayList<>(SourceFile.identifiers(code, "ob_refcnt"));
        ids.addAll(SourceFile.identifiers(code, "ob_type"));
        ids.sort(Comparator.comparingInt(x -> x[0]));
        for (int[] id : ids) {
            String name = code.substring(id[0], id[1]);
            Matcher access = ACCESS.matcher(code).region(Math.max(0, id[0] - 16), id[0]);
            if (!(name.equals("ob_refcnt") || name.equals("ob_type")) || !access.find()) {
                continue;
            }
            String text = code.substring(access.start(), access.end()).strip() + name;
            if (name.equals("ob_refcnt")) {
                out.add(SourceRule.at(file, id[0], REFCNT_FIELD, Finding.Severity.ERROR, text,
                        "the free-threaded PyObject has no ob_refcnt field (its count is split into ob_ref_local and"
                                + " ob_ref_shared, changed atomically), so this does not compile there, and a plain read or"
                                + " write of a count races with other threads",
                        "read with Py_REFCNT(op); change counts only with Py_INCREF/Py_DECREF (Py_SET_REFCNT for"
                                + " objects no other thread can see)"));
            } else {
                out.add(SourceRule.at(file, id[0], TYPE_FIELD, Finding.Severity.WARNING, text,
                        "ob_type is read and written without synchronisation here; the free-threaded build moves the"
                                + " header fields and only the macros stay portable",
                        "read with Py_TYPE(op) and set with Py_SET_TYPE(op, type)"));
            }
        }
        Matcher r = REFCNT_MACRO.matcher(code.contains("Py_REFCNT") ? code : "");
        while (r.find()) {
            int close = SourceFile.closing(code, r.end() - 1, '(', ')');
            if (close < 0) {
                continue;
            }
            Matcher a = ASSIGN.matcher(code).region(close + 1, code.length());
            if (a.lookingAt()) {
                out.add(SourceRule.at(file, r.start(), REFCNT_ASSIGNMENT, Finding.Severity.ERROR,
                        code.substring(r.start(), a.end()).strip(),
                        "Py_REFCNT() is not an lvalue since 3.10, and in the free-threaded build the count is two atomic"
                                + " fields (ob_ref_local, ob_ref_shared) that one store cannot set",
                        "use Py_SET_REFCNT(op, n) only for objects no other thread can see; otherwise Py_INCREF/Py_DECREF"));
            }
        }
        return out;
    }
}
