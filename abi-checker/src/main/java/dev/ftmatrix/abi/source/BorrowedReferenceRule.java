package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.core.Finding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls of C-API functions that return a borrowed reference, which another thread may free before the caller uses it
 * once there is no GIL. The list and the replacements follow CPython's "C API Extension Support for Free Threading"
 * HOWTO (docs.python.org/3/howto/free-threading-extensions.html, "Borrowed References").
 */
public final class BorrowedReferenceRule implements SourceRule {
    public static final String ID = "borrowed-reference";
    public static final String ITERATION = "unlocked-iteration";

    /** An API, its strong-reference replacement (empty: there is none, lock instead), and the fix to write. */
    record Api(String name, String replacement, String fix) {
    }

    static final Map<String, Api> APIS = table(
            new Api("PyDict_GetItem", "PyDict_GetItemRef",
                    "use PyDict_GetItemRef(dict, key, &value) (3.13+; pythoncapi-compat for older), which returns a strong reference, and Py_DECREF it"),
            new Api("PyDict_GetItemWithError", "PyDict_GetItemRef",
                    "use PyDict_GetItemRef(dict, key, &value), which returns a strong reference and reports errors"),
            new Api("PyDict_GetItemString", "PyDict_GetItemStringRef",
                    "use PyDict_GetItemStringRef(dict, key, &value), which returns a strong reference"),
            new Api("_PyDict_GetItemStringWithError", "PyDict_GetItemStringRef",
                    "use PyDict_GetItemStringRef(dict, key, &value), which returns a strong reference"),
            new Api("PyDict_SetDefault", "PyDict_SetDefaultRef",
                    "use PyDict_SetDefaultRef(dict, key, default, &result), which returns a strong reference"),
            new Api("PyList_GetItem", "PyList_GetItemRef",
                    "use PyList_GetItemRef(list, i), which returns a strong reference"),
            new Api("PyList_GET_ITEM", "PyList_GetItemRef",
                    "use PyList_GetItemRef(list, i) (strong reference, bounds-checked) unless the list cannot be shared"),
            new Api("PySequence_Fast_GET_ITEM", "",
                    "hold the sequence's lock while using the items: Py_BEGIN_CRITICAL_SECTION_SEQUENCE_FAST(seq)"
                            + " (3.14) or Py_BEGIN_CRITICAL_SECTION(seq), or take strong references with PySequence_GetItem"),
            new Api("PySequence_Fast_ITEMS", "",
                    "hold the sequence's lock while using the items array: Py_BEGIN_CRITICAL_SECTION_SEQUENCE_FAST(seq)"
                            + " (3.14) or Py_BEGIN_CRITICAL_SECTION(seq)"),
            new Api("PyWeakref_GetObject", "PyWeakref_GetRef",
                    "use PyWeakref_GetRef(ref, &obj), which returns a strong reference (3.13+; pythoncapi-compat for older)"),
            new Api("PyWeakref_GET_OBJECT", "PyWeakref_GetRef",
                    "use PyWeakref_GetRef(ref, &obj), which returns a strong reference"),
            new Api("PyImport_AddModule", "PyImport_AddModuleRef",
                    "use PyImport_AddModuleRef(name), which returns a strong reference"),
            new Api("PyImport_AddModuleObject", "PyImport_AddModuleRef",
                    "use PyImport_AddModuleRef(name), which returns a strong reference"),
            new Api("PyCell_GET", "PyCell_Get", "use PyCell_Get(cell), which returns a strong reference"),
            new Api("PyEval_GetGlobals", "PyEval_GetFrameGlobals",
                    "use PyEval_GetFrameGlobals() (3.13+), which returns a strong reference"),
            new Api("PyEval_GetLocals", "PyEval_GetFrameLocals",
                    "use PyEval_GetFrameLocals() (3.13+), which returns a strong reference"),
            new Api("PyEval_GetBuiltins", "PyEval_GetFrameBuiltins",
                    "use PyEval_GetFrameBuiltins() (3.13+), which returns a strong reference"),
            new Api("PyDict_Next", "",
                    "wrap the whole loop in Py_BEGIN_CRITICAL_SECTION(dict) ... Py_END_CRITICAL_SECTION(), or iterate"
                            + " over a copy (PyDict_Copy) or PyObject_GetIter"));

    private static final Pattern SECTION = Pattern.compile("\\bPy_(BEGIN|END)_CRITICAL_SECTION\\w*");
    private static final Pattern CIMPORT = Pattern.compile("^\\s*(from\\s+\\S+\\s+)?cimport\\b.*$", Pattern.MULTILINE);

    /** Each borrowed-reference API and the strong-reference API to use instead (absent where a lock is the fix). */
    public static Map<String, String> replacements() {
        Map<String, String> out = new TreeMap<>();
        APIS.values().stream().filter(a -> !a.replacement().isEmpty()).forEach(a -> out.put(a.name(), a.replacement()));
        return out;
    }

    private static Map<String, Api> table(Api... apis) {
        Map<String, Api> m = new LinkedHashMap<>();
        for (Api a : apis) {
            m.put(a.name(), a);
        }
        return Map.copyOf(m);
    }

    @Override
    public List<RuleInfo> describes() {
        return List.of(
                new RuleInfo(ID, "C-API call returning a borrowed reference that another thread may invalidate without the GIL",
                        Finding.Severity.WARNING),
                new RuleInfo(ITERATION, "container iteration that needs a critical section without the GIL",
                        Finding.Severity.WARNING));
    }

    @Override
    public List<Finding> check(SourceFile file) {
        if (file.lang() == Lang.BUILD) {
            return List.of();
        }
        String code = file.code();
        if (file.lang() == Lang.CYTHON) {
            // "from cpython.dict cimport PyDict_GetItem" declares, the call below it is the finding
            code = blankMatches(code, CIMPORT);
        }
        List<Finding> out = new ArrayList<>();
        List<int[]> locked = criticalSections(code);
        List<int[]> ids = new ArrayList<>(SourceFile.identifiers(code, "Py"));
        ids.addAll(SourceFile.identifiers(code, "_Py"));
        ids.sort(Comparator.comparingInt(x -> x[0]));
        for (int[] id : ids) {
            Api api = APIS.get(code.substring(id[0], id[1]));
            if (api == null || locked.stream().anyMatch(r -> r[0] <= id[0] && id[0] < r[1])) {
                continue; // inside Py_BEGIN_CRITICAL_SECTION ... Py_END_CRITICAL_SECTION: the HOWTO's fix
            }
            boolean iteration = api.replacement().isEmpty();
            String why = iteration
                    ? api.name() + " hands out borrowed references into a container that other threads may mutate or"
                            + " resize at the same time once there is no GIL"
                    : api.name() + " returns a borrowed reference: without the GIL another thread can remove the item and"
                            + " free it before this thread takes its own reference";
            out.add(SourceRule.at(file, id[0], iteration ? ITERATION : ID, Finding.Severity.WARNING, api.name(),
                    why, api.fix()));
        }
        return out;
    }

    /** [start, end) of each Py_BEGIN_CRITICAL_SECTION* ... Py_END_CRITICAL_SECTION* region, nested ones included. */
    static List<int[]> criticalSections(String code) {
        List<int[]> out = new ArrayList<>();
        if (!code.contains("Py_BEGIN_CRITICAL_SECTION")) {
            return out;
        }
        Deque<Integer> open = new ArrayDeque<>();
        Matcher m = SECTION.matcher(code);
        while (m.find()) {
            if (m.group(1).equals("BEGIN")) {
                open.push(m.start());
            } else if (!open.isEmpty()) {
                out.add(new int[] {open.pop(), m.end()});
            }
        }
        return out;
    }

    static String blankMatches(String code, Pattern p) {
        char[] c = code.toCharArray();
        Matcher m = p.matcher(code);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) {
                if (c[i] != '\n') {
                    c[i] = ' ';
                }
            }
        }
        return new String(c);
    }
}
