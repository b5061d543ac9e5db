package dev.ftmatrix.abi.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the {@code #[cfg(...)]} attributes pyo3-ffi style bindings put on fields, for one build:
 * {@code Py_GIL_DISABLED} is the build's flag, {@code Py_3_N} holds for N up to the version's minor, and everything
 * else ({@code PyPy}, {@code Py_LIMITED_API}, {@code py_sys_config = "Py_TRACE_REFS"}) is off, as in a default build.
 */
final class RustCfg {
    private static final Pattern CFG = Pattern.compile("#\\s*\\[\\s*cfg\\s*\\((.*)\\)\\s*\\]");
    private static final Pattern VERSION = Pattern.compile("Py_3_(\\d+)");

    private RustCfg() {
    }

    /** Whether every cfg attribute in {@code attrs} holds. */
    static boolean all(String attrs, boolean ft, int minor) {
        if (attrs == null || !attrs.contains("cfg")) {
            return true;
        }
        for (String a : attrs.split("(?=#\\s*\\[)")) {
            Matcher m = CFG.matcher(a.strip());
            if (m.matches() && !eval(m.group(1).strip(), ft, minor)) {
                return false;
            }
        }
        return true;
    }

    static boolean eval(String e, boolean ft, int minor) {
        e = e.strip();
        for (String op : List.of("all", "any", "not")) {
            if (e.startsWith(op) && e.substring(op.length()).strip().startsWith("(") && e.endsWith(")")) {
                String inner = e.substring(e.indexOf('(') + 1, e.length() - 1);
                List<String> args = split(inner);
                return switch (op) {
                    case "all" -> args.stream().allMatch(x -> eval(x, ft, minor));
                    case "any" -> args.stream().anyMatch(x -> eval(x, ft, minor));
                    default -> !eval(inner, ft, minor);
                };
            }
        }
        if (e.equals("Py_GIL_DISABLED")) {
            return ft;
        }
        Matcher v = VERSION.matcher(e);
        if (v.matches()) {
            return Integer.parseInt(v.group(1)) <= minor;
        }
        return false;
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank()) {
            out.add(s.substring(start));
        }
        return out;
    }
}
