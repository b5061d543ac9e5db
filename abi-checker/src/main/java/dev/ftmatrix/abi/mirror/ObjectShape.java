package dev.ftmatrix.abi.mirror;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A mirror of CPython's object header found by its shape, whatever its names: its leading fields are a
 * {@code Py_ssize_t} count and a {@code PyTypeObject *} (a {@code PyObject}), and a third count makes it a
 * {@code PyVarObject}; and somewhere in the project a {@code PyObject *} is cast to it (C, Cython, Rust or ctypes).
 * A struct of that shape nobody casts an object to is only a coincidence of types.
 */
final class ObjectShape {
    private static final Pattern COUNT = Pattern.compile(
            "(?:Py_ssize_t|ssize_t|isize|ffi::Py_ssize_t|c_ssize_t|ctypes\\.c_ssize_t|intptr_t|Py_intptr_t)");
    private static final Pattern TYPE_POINTER = Pattern.compile(
            "(?:(?:struct\\s+)?(?:PyTypeObject|_typeobject)\\s*\\*"
                    + "|\\*\\s*(?:mut|const)\\s+(?:ffi::)?PyTypeObject"
                    + "|(?:ctypes\\.)?POINTER\\s*\\(\\s*PyTypeObject\\s*\\)"
                    + "|(?:ctypes\\.)?c_void_p)");   // ctypes: only with a cast of an object to it (below)
    private static final List<String> HEAD = List.of("ob_refcnt", "ob_type", "ob_size");

    private ObjectShape() {
    }

    /** The header {@code m} has the shape of ("PyVarObject", "PyObject"), or null. */
    static String header(Mirror m) {
        List<Mirror.Field> f = m.fields();
        if (m.union() || f.size() < 2 || f.get(0).count() != 1 || f.get(1).count() != 1
                || !COUNT.matcher(f.get(0).type().strip()).matches()
                || !TYPE_POINTER.matcher(f.get(1).type().strip()).matches()) {
            return null;
        }
        boolean var = f.size() >= 3 && f.get(2).count() == 1 && COUNT.matcher(f.get(2).type().strip()).matches();
        return var ? "PyVarObject" : "PyObject";
    }

    /** Whether some source casts an object pointer to {@code name}. */
    static boolean castTo(String name, Collection<String> sources) {
        String n = Pattern.quote(name);
        Pattern cast = Pattern.compile("\\(\\s*(?:struct\\s+)?" + n + "\\s*\\*\\s*\\)"      // C: (Name *)op
                + "|<\\s*" + n + "\\s*\\*\\s*>"                                               // Cython: <Name *>op
                + "|\\bas\\s+\\*(?:mut|const)\\s+" + n + "\\b|cast::<\\s*" + n + "\\s*>"      // Rust
                + "|\\b" + n + "\\.from_address\\s*\\(|POINTER\\s*\\(\\s*" + n + "\\s*\\)");  // ctypes
        return sources.stream().anyMatch(s -> cast.matcher(s).find());
    }

    /**
     * {@code m} with its header fields given CPython's names (so that offsets compare by name), and each new name's
     * original, for the messages.
     */
    static Renamed rename(Mirror m, String header) {
        int n = header.equals("PyVarObject") ? 3 : 2;
        List<Mirror.Field> fields = new ArrayList<>();
        Map<String, String> original = new LinkedHashMap<>();
        for (int i = 0; i < m.fields().size(); i++) {
            Mirror.Field f = m.fields().get(i);
            String name = i < n ? HEAD.get(i) : f.name();
            original.put(name, f.name());
            fields.add(new Mirror.Field(name, f.type(), f.count(), f.line()));
        }
        return new Renamed(new Mirror(m.name(), m.file(), m.line(), m.union(), fields), original);
    }

    record Renamed(Mirror mirror, Map<String, String> original) {
    }
}
