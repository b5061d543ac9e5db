package dev.ftmatrix.scanner.internal;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STAND-IN: reads whether one extension module declares that it does not need the GIL. The abi-checker stage owns
 * these source rules ("one implementation"); stages must not call each other, so this small copy lives here until
 * the service passes the abi-checker's findings in and this class is deleted. Keep its surface to {@link #judge}.
 *
 * <p>Rules: C API {@code {Py_mod_gil, Py_MOD_GIL_NOT_USED}} slots and {@code PyUnstable_Module_SetGIL}; Cython's
 * {@code freethreading_compatible} directive (file header, setup.py, meson or CMake arguments) and the
 * {@code __Pyx_FREETHREADING_COMPATIBLE} of generated C; pybind11's {@code py::mod_gil_not_used()}; nanobind's
 * {@code FREE_THREADED}; PyO3's {@code #[pymodule(gil_used = ...)]}, whose default is judged by the PyO3 version
 * (0.23 first builds for free-threaded Python with {@code gil_used = true} by default; 0.28 made
 * {@code gil_used = false} the default).
 */
public final class GilDeclarations {
    /** What a module declares: {@code not-used}, {@code used}, {@code absent} or {@code unknown}, how, and where. */
    public record Judgement(String declaration, String mechanism, String evidence) {
    }

    /** Facts about the whole project that some rules need. */
    public record Context(String pyo3Version) {
    }

    private static final Pattern SLOT = Pattern.compile("\\{\\s*Py_mod_gil\\s*,\\s*Py_MOD_GIL_(NOT_USED|USED)\\s*}");
    private static final Pattern SET_GIL = Pattern.compile(
            "\\bPyUnstable_Module_SetGIL\\s*\\([^;]*?Py_MOD_GIL_(NOT_USED|USED)\\s*\\)");
    private static final Pattern CYTHON_GENERATED = Pattern.compile(
            "#define\\s+__Pyx_FREETHREADING_COMPATIBLE\\s+Py_MOD_GIL_(NOT_USED|USED)");
    private static final Pattern CYTHON_HEADER = Pattern.compile(
            "(?m)^#\\s*cython\\s*:.*\\bfreethreading_compatible\\s*=\\s*(True|False)");
    private static final Pattern CYTHON_BUILD = Pattern.compile(
            "[\"']?freethreading_compatible[\"']?\\s*[:=]\\s*[\"']?(True|False|true|false)");
    private static final Pattern PYBIND11_NOT_USED = Pattern.compile("\\bmod_gil_not_used\\s*\\(");
    private static final Pattern GIL_USED_ARG = Pattern.compile("\\bgil_used\\s*=\\s*(true|false)");
    private static final Pattern NB_FREE_THREADED = Pattern.compile(
            "(?is)\\bnanobind_add_module\\s*\\(\\s*(\\w+)[^)]*\\bFREE_THREADED\\b");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    private GilDeclarations() {
    }

    public static Judgement judge(SourceTree tree, ModuleDefinition def, Context ctx) {
        if (def == null) {
            return new Judgement("unknown", "module definition not found in its sources", null);
        }
        return switch (def.layer()) {
            case "c-api" -> cApi(tree, def);
            case "cython" -> cython(tree, def);
            case "pybind11" -> def.detail().contains("mod_gil_not_used")
                    || PYBIND11_NOT_USED.matcher(def.detail()).find()
                    ? new Judgement("not-used", "py::mod_gil_not_used()", def.evidence())
                    : new Judgement("absent", "PYBIND11_MODULE without py::mod_gil_not_used()", def.evidence());
            case "nanobind" -> nanobind(tree, def);
            case "pyo3" -> pyo3(def, ctx);
            default -> new Judgement("unknown", def.layer() + " generates the module's init; its declaration depends "
                    + "on the " + def.layer() + " version used at build time", def.evidence());
        };
    }

    private static Judgement cApi(SourceTree tree, ModuleDefinition def) {
        Optional<Judgement> j = cRules(tree, def.file());
        if (j.isEmpty()) {
            // the slots may sit in another file of the same directory
            String dir = SourceTree.dirOf(def.file());
            for (String f : tree.withSuffix(".c", ".cc", ".cpp", ".cxx", ".h", ".hpp")) {
                if (!f.equals(def.file()) && SourceTree.dirOf(f).equals(dir)) {
                    j = cRules(tree, f);
                    if (j.isPresent()) {
                        break;
                    }
                }
            }
        }
        return j.orElse(new Judgement("absent", "no Py_mod_gil slot or PyUnstable_Module_SetGIL call",
                def.evidence()));
    }

    private static Optional<Judgement> cRules(SourceTree tree, String file) {
        String text = tree.text(file);
        Matcher slot = SLOT.matcher(text);
        if (slot.find()) {
            return Optional.of(new Judgement(word(slot.group(1)), "Py_mod_gil slot",
                    file + ":" + tree.lineAt(file, slot.start())));
        }
        Matcher set = SET_GIL.matcher(text);
        if (set.find()) {
            return Optional.of(new Judgement(word(set.group(1)), "PyUnstable_Module_SetGIL",
                    file + ":" + tree.lineAt(file, set.start())));
        }
        return Optional.empty();
    }

    private static Judgement cython(SourceTree tree, ModuleDefinition def) {
        if (def.file().endsWith(".c") || def.file().endsWith(".cpp")) {
            Matcher g = CYTHON_GENERATED.matcher(tree.text(def.file()));
            if (g.find()) {
                return new Judgement(word(g.group(1)), "__Pyx_FREETHREADING_COMPATIBLE in Cython's generated C",
                        def.file() + ":" + tree.lineAt(def.file(), g.start()));
            }
            return cRules(tree, def.file()).orElse(new Judgement("absent",
                    "generated C without a GIL declaration (" + def.detail() + ")", def.evidence()));
        }
        Matcher h = CYTHON_HEADER.matcher(tree.text(def.file()));
        if (h.find()) {
            return new Judgement(h.group(1).equals("True") ? "not-used" : "used",
                    "freethreading_compatible directive", def.file() + ":" + tree.lineAt(def.file(), h.start()));
        }
        for (String f : buildFiles(tree, def.file())) {
            Matcher b = CYTHON_BUILD.matcher(tree.text(f));
            if (b.find()) {
                return new Judgement(b.group(1).equalsIgnoreCase("true") ? "not-used" : "used",
                        "freethreading_compatible directive in the build", f + ":" + tree.lineAt(f, b.start()));
            }
        }
        return new Judgement("absent", "no freethreading_compatible directive (Cython keeps the GIL by default)",
                def.evidence());
    }

    private static Judgement nanobind(SourceTree tree, ModuleDefinition def) {
        for (String f : tree.named("CMakeLists.txt")) {
            Matcher m = NB_FREE_THREADED.matcher(tree.text(f));
            while (m.find()) {
                if (m.group(1).equals(def.shortName()) || m.group(1).equals("_" + def.shortName())
                        || def.shortName().endsWith(m.group(1))) {
                    return new Judgement("not-used", "nanobind_add_module(... FREE_THREADED)",
                            f + ":" + tree.lineAt(f, m.start()));
                }
            }
        }
        return new Judgement("absent", "nanobind_add_module without FREE_THREADED", def.evidence());
    }

    private static Judgement pyo3(ModuleDefinition def, Context ctx) {
        Matcher m = GIL_USED_ARG.matcher(def.detail());
        if (m.find()) {
            return new Judgement(m.group(1).equals("false") ? "not-used" : "used",
                    "#[pymodule(gil_used = " + m.group(1) + ")]", def.evidence());
        }
        int[] v = minorVersion(ctx.pyo3Version());
        if (v == null) {
            return new Judgement("unknown", "#[pymodule] without gil_used, and the PyO3 version is unknown",
                    def.evidence());
        }
        String ver = ctx.pyo3Version();
        if (v[0] > 0 || v[1] >= 28) {
            return new Judgement("not-used", "PyO3 " + ver + " default (gil_used = false since 0.28)", def.evidence());
        }
        if (v[1] >= 23) {
            return new Judgement("absent", "PyO3 " + ver + " default (gil_used = true before 0.28)", def.evidence());
        }
        return new Judgement("absent", "PyO3 " + ver + " cannot build for free-threaded Python (needs >= 0.23)",
                def.evidence());
    }

    /** {@code {major, minor}} of the lowest version a Cargo requirement or locked version allows; null if none. */
    static int[] minorVersion(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = VERSION.matcher(version);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }

    /** The build files that apply to {@code file}: those of its directory and every directory above it. */
    private static List<String> buildFiles(SourceTree tree, String file) {
        List<String> out = new java.util.ArrayList<>();
        String dir = SourceTree.dirOf(file);
        while (true) {
            for (String name : List.of("meson.build", "CMakeLists.txt", "setup.py", "setup.cfg", "pyproject.toml")) {
                String f = dir.isEmpty() ? name : dir + "/" + name;
                if (tree.exists(f)) {
                    out.add(f);
                }
            }
            if (dir.isEmpty()) {
                return out;
            }
            dir = SourceTree.dirOf(dir);
        }
    }

    private static String word(String used) {
        return used.equals("NOT_USED") ? "not-used" : "used";
    }
}
