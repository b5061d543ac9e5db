package dev.ftmatrix.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where source code defines an extension module's entry point, as CPython and the binding layers spell it: C's
 * {@code PyInit_<name>(void) {}}, a Rust {@code extern "C" fn PyInit_<name>(} (pyo3-ffi), and PyO3's
 * {@code #[pymodule]}. The one reading of these: the scanner asks it which modules the sources define, the
 * abi-checker where to read what each declares about the GIL.
 *
 * @param module the module's name: after {@code PyInit_}, or PyO3's function name unless {@code name = "..."} renames it
 * @param start the offset where the definition starts
 * @param nameStart the offset of the name as the function writes it
 * @param args PyO3's attribute arguments ({@code gil_used = false}); else empty
 */
public record ModuleInit(String module, int start, int nameStart, String args) {
    /** An {@code #else} (or {@code #elif}) branch up to its {@code #endif}, holding no brace or statement. */
    private static final String OTHER_BRANCH = "(?:#[ \\t]*(?:else|elif)\\b[^{};]*?#[ \\t]*endif\\b[^\\n]*\\s*)?";
    /**
     * Between the {@code )} and the {@code {} may sit the other branch of an {@code #if PY_MAJOR_VERSION >= 3} that
     * names the Python 2 init function (cffi, psutil, bottleneck). It starts with a literal, so the regex engine can
     * search for it quickly; the character before is checked by hand.
     */
    private static final Pattern C = Pattern.compile("PyInit_(\\w+)\\s*\\(\\s*(?:void)?\\s*\\)\\s*" + OTHER_BRANCH + "\\{");
    private static final Pattern C_ALIAS = Pattern.compile("(?m)^[ \\t]*#[ \\t]*define[ \\t]+(\\w+)[ \\t]+PyInit_(\\w+)[ \\t]*$");
    /** Not in a {@code //} comment (pyo3-ffi's own docs show an example module); {@code [ C]}: a literal may be blanked. */
    private static final Pattern RUST = Pattern.compile(
            "(?m)^(?![ \\t]*//)[^\\n]*?\\bextern\\s+\"[ C]\"\\s+fn\\s+PyInit_(\\w+)\\s*\\(");
    private static final Pattern PYMODULE = Pattern.compile(
            "#\\s*\\[\\s*(?:pyo3\\s*::\\s*)?pymodule\\b\\s*(?:\\(([^\\]]*)\\))?\\s*\\]((?:\\s*#\\s*\\[[^\\]]*\\])*)"
                    + "\\s*(?:pub(?:\\s*\\([^)]*\\))?\\s+)?(?:fn|mod)\\s+(\\w+)");
    private static final Pattern PYO3_NAME = Pattern.compile("\\bname\\s*=\\s*\"([\\w.]+)\"");

    public ModuleInit {
        args = args == null ? "" : args;
    }

    /** Every {@code PyInit_x(void) {} in C {@code code}, not part of a longer identifier. */
    public static List<ModuleInit> inC(String code) {
        List<ModuleInit> out = new ArrayList<>();
        Matcher m = C.matcher(code);
        while (m.find()) {
            if (!identChar(code, m.start() - 1)) {
                out.add(new ModuleInit(m.group(1), m.start(), m.start(1), ""));
            }
        }
        return out;
    }

    /**
     * Every init function named through an object-like macro ({@code #define INIT_BROTLI PyInit__brotli}, then
     * {@code PyMODINIT_FUNC INIT_BROTLI(void) {}}), at the macro's definition as a function.
     */
    public static List<ModuleInit> aliasedInC(String code) {
        List<ModuleInit> out = new ArrayList<>();
        Matcher alias = C_ALIAS.matcher(code);
        while (alias.find()) {
            Matcher def = Pattern.compile("\\b" + Pattern.quote(alias.group(1)) + "\\s*\\(\\s*(?:void)?\\s*\\)\\s*"
                    + OTHER_BRANCH + "\\{").matcher(code);
            if (def.find()) {
                out.add(new ModuleInit(alias.group(2), def.start(), def.start(), ""));
            }
        }
        return out;
    }

    /** Every exported {@code extern "C" fn PyInit_x(} in Rust {@code code}: a module over pyo3-ffi. */
    public static List<ModuleInit> inRust(String code) {
        List<ModuleInit> out = new ArrayList<>();
        Matcher m = RUST.matcher(code);
        while (m.find()) {
            out.add(new ModuleInit(m.group(1), m.start(), m.start(1), ""));
        }
        return out;
    }

    /**
     * Every PyO3 {@code #[pymodule]} in Rust {@code code}, named as the attributes name it ({@code name = "..."}, in the
     * attribute or a following {@code #[pyo3(...)]}). {@code text} is {@code code} as written, for the name and the
     * arguments when {@code code} has its literals blanked (the same offsets); else the same string.
     */
    public static List<ModuleInit> pyo3(String code, String text) {
        List<ModuleInit> out = new ArrayList<>();
        Matcher m = PYMODULE.matcher(code);
        while (m.find()) {
            String args = m.group(1) == null ? "" : text.substring(m.start(1), m.end(1));
            Matcher n = PYO3_NAME.matcher(args + " " + text.substring(m.start(2), m.end(2)));
            out.add(new ModuleInit(n.find() ? n.group(1) : m.group(3), m.start(), m.start(3), args));
        }
        return out;
    }

    private static boolean identChar(String s, int i) {
        if (i < 0 || i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return c == '_' || c == '$' || Character.isLetterOrDigit(c);
    }
}
