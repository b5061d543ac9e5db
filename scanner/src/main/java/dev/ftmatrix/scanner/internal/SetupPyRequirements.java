package dev.ftmatrix.scanner.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code extras_require} and {@code tests_require} of a setup.py, read from its literals without running it. A value
 * that is a name is followed to the name's assignment (the last one before the use), as in {@code tests = [...]}
 * then {@code extras_require={"test": tests}}; computed values are left out.
 *
 * @param extras extra name to its requirements, in the file's order
 * @param testsRequire {@code tests_require}
 */
record SetupPyRequirements(Map<String, List<String>> extras, List<String> testsRequire) {
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^[ \\t]*([A-Za-z_][A-Za-z0-9_]*)[ \\t]*=(?!=)");
    private static final Pattern KEYWORD = Pattern.compile("\\b(extras_require|tests_require)\\s*=(?!=)");
    /** Names followed through at most this many assignments ({@code a = b}, {@code b = [...]}). */
    private static final int MAX_HOPS = 8;

    SetupPyRequirements {
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        testsRequire = List.copyOf(testsRequire);
    }

    static SetupPyRequirements read(String setupPy) {
        Map<String, List<String>> extras = new LinkedHashMap<>();
        List<String> tests = new ArrayList<>();
        Matcher k = KEYWORD.matcher(setupPy);
        while (k.find()) {
            Object value = resolve(setupPy, PythonLiterals.parseAt(setupPy, k.end()), k.start(), 0);
            if (k.group(1).equals("tests_require")) {
                addNew(tests, strings(setupPy, value, k.start()));
            } else if (value instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    addNew(extras.computeIfAbsent((String) e.getKey(), x -> new ArrayList<>()),
                            strings(setupPy, e.getValue(), k.start()));
                }
            }
        }
        return new SetupPyRequirements(extras, tests);
    }

    /** The requirement strings of a list (or tuple, or sum of them, or one multi-line string). */
    private static List<String> strings(String src, Object value, int at) {
        Object v = resolve(src, value, at, 0);
        List<String> out = new ArrayList<>();
        if (v instanceof String s) {
            s.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
        } else if (v instanceof List<?> items) {
            for (Object item : items) {
                if (resolve(src, item, at, 0) instanceof String s) {
                    out.add(s.strip());
                }
            }
        } else if (v instanceof PythonLiterals.Sum sum) {
            sum.terms().forEach(t -> out.addAll(strings(src, t, at)));
        }
        return out;
    }

    /** Follows names to the literal last assigned to them before {@code at}; a tuple around one list is the list. */
    private static Object resolve(String src, Object value, int at, int hops) {
        if (value instanceof PythonLiterals.Name(String id) && hops < MAX_HOPS) {
            int start = -1;
            int end = -1;
            Matcher a = ASSIGNMENT.matcher(src);
            while (a.find() && a.end() <= at) {
                if (a.group(1).equals(id)) {
                    start = a.start();
                    end = a.end();
                }
            }
            return start < 0 ? PythonLiterals.UNKNOWN
                    : resolve(src, PythonLiterals.parseAt(src, end), start, hops + 1);
        }
        // `tests_require = ['pytest', ...],` (a stray comma) makes a one-element tuple of the list
        if (value instanceof List<?> l && l.size() == 1 && l.getFirst() instanceof List<?> inner) {
            return inner;
        }
        return value;
    }

    private static void addNew(List<String> to, List<String> items) {
        items.stream().filter(i -> !to.contains(i)).forEach(to::add);
    }
}
