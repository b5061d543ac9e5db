package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.GilDeclaration;
import dev.ftmatrix.abi.GilDeclaration.State;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.ModuleInit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds each extension module of a project and reads what it declares about the GIL, per binding layer, by value:
 * {@code Py_MOD_GIL_USED} is a declaration that the GIL is needed, not support. A module without one is a finding.
 */
public final class GilDeclarations {
    public static final String MISSING = "gil-declaration-missing";
    public static final String USED = "gil-declared-used";
    public static final String UNKNOWN = "gil-declaration-unknown";

    // each starts with a literal, so the regex engine can search for it quickly
    private static final Pattern SLOT = Pattern.compile(
            "Py_mod_gil\\s*,\\s*(?:\\.value\\s*=\\s*)?(?:\\(\\s*void\\s*\\*\\s*\\)\\s*)?(\\w+)");
    private static final Pattern SET_GIL = Pattern.compile(
            "PyUnstable_Module_SetGIL\\s*\\([^,;]+,\\s*(?:\\(\\s*void\\s*\\*\\s*\\)\\s*)?(\\w+)\\s*\\)");
    private static final Pattern PYBIND11 = Pattern.compile("PYBIND11_MODULE\\s*\\(");
    private static final Pattern NB_MODULE = Pattern.compile("NB_MODULE\\s*\\(\\s*(\\w+)");
    private static final Pattern NB_ADD = Pattern.compile("\\bnanobind_add_module\\s*\\(\\s*(\\w+)([^)]*)\\)");
    private static final Pattern CYTHON_HEADER = Pattern.compile("^#\\s*cython\\s*:(.*)$");
    private static final Pattern FT_COMPATIBLE = Pattern.compile(
            "\\bfreethreading_compatible[\"']?\\s*[:=]\\s*(True|False|true|false|1|0)\\b");
    private static final Pattern CYTHON_MACRO = Pattern.compile(
            "\\bCYTHON_FREETHREADING_COMPATIBLE\\b(?:[\"']?\\s*[,=]\\s*[\"']?(\\w+)|[ \\t]+(\\w+))?");

    /** Declarations found, and the findings they make. */
    public record Result(List<GilDeclaration> modules, List<Finding> findings) {
        public Result {
            modules = List.copyOf(modules);
            findings = List.copyOf(findings);
        }
    }

    /** One place a declaration was read. */
    record Evidence(State state, String mechanism, String file, int line) {
    }

    private GilDeclarations() {
    }

    /** Modules in {@code files}, and cffi modules built by the {@code python} sources (path to text). */
    public static Result find(List<SourceFile> files, Map<String, String> python) {
        List<GilDeclaration> modules = new ArrayList<>();
        cApi(files, modules);
        Cython.find(files, python, modules);
        Pyo3.find(files, modules);
        Pyo3Ffi.find(files, modules);
        Cffi.find(files, python, modules);
        List<Finding> findings = new ArrayList<>();
        for (GilDeclaration d : modules) {
            Finding f = finding(d);
            if (f != null) {
                findings.add(f);
            }
        }
        return new Result(modules, findings);
    }

    private static void cApi(List<SourceFile> files, List<GilDeclaration> modules) {
        List<Evidence> nanobindTargets = new ArrayList<>();
        for (SourceFile f : files) {
            if (f.lang() == Lang.BUILD && (f.name().equalsIgnoreCase("CMakeLists.txt") || f.name().endsWith(".cmake"))
                    && f.code().contains("nanobind_add_module")) {
                Matcher m = NB_ADD.matcher(f.code());
                while (m.find()) {
                    boolean ft = m.group(2).contains("FREE_THREADED");
                    nanobindTargets.add(new Evidence(ft ? State.NOT_USED : State.ABSENT,
                            ft ? "nanobind_add_module(" + m.group(1) + " FREE_THREADED)" : m.group(1), f.path(),
                            f.line(m.start())));
                }
            }
        }
        List<GilDeclaration> plainC = new ArrayList<>();
        List<Evidence> allC = new ArrayList<>();
        for (SourceFile f : files) {
            if (f.lang() != Lang.C) {
                continue;
            }
            String code = f.code();
            if (!code.contains("PyInit_") && !code.contains("Py_mod_gil") && !code.contains("SetGIL")
                    && !code.contains("PYBIND11_MODULE") && !code.contains("NB_MODULE")) {
                continue;
            }
            List<Evidence> here = cEvidence(f);
            allC.addAll(here);
            for (ModuleInit init : ModuleInit.inC(code)) {
                plainC.add(declare(init.module(), "c-api", f, init.nameStart(), here));
            }
            for (ModuleInit init : ModuleInit.aliasedInC(code)) {
                plainC.add(declare(init.module(), "c-api", f, init.start(), here));
            }
            Matcher p = PYBIND11.matcher(code);
            while (p.find()) {
                if (SourceFile.identChar(code, p.start() - 1)) {
                    continue;
                }
                int close = SourceFile.closing(code, p.end() - 1, '(', ')');
                String args = close < 0 ? "" : code.substring(p.end(), close);
                String name = args.split(",", 2)[0].strip();
                State s = args.contains("mod_gil_not_used") ? State.NOT_USED
                        : args.contains("mod_gil_used") ? State.USED : State.ABSENT;
                String mech = s == State.NOT_USED ? "py::mod_gil_not_used()" : s == State.USED ? "py::mod_gil_used()" : "none";
                int line = f.line(p.start());
                modules.add(new GilDeclaration(name, "pybind11", s, mech, f.path(), line,
                        s == State.ABSENT ? "" : f.path(), s == State.ABSENT ? 0 : line));
            }
            Matcher nb = NB_MODULE.matcher(code);
            while (nb.find()) {
                if (SourceFile.identChar(code, nb.start() - 1)) {
                    continue;
                }
                String name = nb.group(1);
                Evidence e = nanobindTargets.stream().filter(t -> t.mechanism().startsWith("nanobind_add_module(" + name + " ")
                        || t.mechanism().equals(name)).findFirst()
                        .orElse(nanobindTargets.size() == 1 ? nanobindTargets.getFirst() : null);
                State s = e == null ? State.ABSENT : e.state();
                modules.add(new GilDeclaration(name, "nanobind", s, s == State.NOT_USED ? e.mechanism() : "none",
                        f.path(), f.line(nb.start()), s == State.NOT_USED ? e.file() : "", s == State.NOT_USED ? e.line() : 0));
            }
        }
        // one module whose slots live in another file than its PyInit
        if (plainC.size() == 1 && plainC.getFirst().state() == State.ABSENT && allC.size() == 1) {
            GilDeclaration d = plainC.getFirst();
            Evidence e = allC.getFirst();
            plainC.set(0, new GilDeclaration(d.module(), d.binding(), e.state(), e.mechanism(), d.file(), d.line(),
                    e.file(), e.line()));
        }
        modules.addAll(plainC);
    }

    private static List<Evidence> cEvidence(SourceFile f) {
        List<Evidence> out = new ArrayList<>();
        Matcher s = SLOT.matcher(f.code());
        while (s.find()) {
            out.add(new Evidence(cValue(s.group(1)), "Py_mod_gil slot", f.path(), f.line(s.start(1))));
        }
        Matcher g = SET_GIL.matcher(f.code());
        while (g.find()) {
            out.add(new Evidence(cValue(g.group(1)), "PyUnstable_Module_SetGIL", f.path(), f.line(g.start())));
        }
        return out;
    }

    static State cValue(String v) {
        return switch (v) {
            case "Py_MOD_GIL_NOT_USED" -> State.NOT_USED;
            case "Py_MOD_GIL_USED" -> State.USED;
            default -> State.UNKNOWN;
        };
    }

    /** A module declared by the first of {@code evidence} (the one that wins is the one that says the least). */
    static GilDeclaration declare(String module, String binding, SourceFile f, int offset, List<Evidence> evidence) {
        int line = f.line(offset);
        if (evidence.isEmpty()) {
            return new GilDeclaration(module, binding, State.ABSENT, "none", f.path(), line, "", 0);
        }
        Evidence e = evidence.stream().filter(x -> x.state() == State.USED).findFirst()
                .or(() -> evidence.stream().filter(x -> x.state() == State.UNKNOWN).findFirst())
                .orElse(evidence.getFirst());
        return new GilDeclaration(module, binding, e.state(), e.mechanism(), f.path(), line, e.file(), e.line());
    }

    static State booleanValue(String v, boolean trueMeansNotUsed) {
        boolean t = v.equalsIgnoreCase("true") || v.equals("1");
        return t == trueMeansNotUsed ? State.NOT_USED : State.USED;
    }

    static Pattern ftCompatible() {
        return FT_COMPATIBLE;
    }

    static Pattern cythonMacro() {
        return CYTHON_MACRO;
    }

    static Pattern cythonHeader() {
        return CYTHON_HEADER;
    }

    private static Finding finding(GilDeclaration d) {
        String fix = switch (d.binding()) {
            case "c-api" -> "once the module is thread-safe, add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to its PyModuleDef_Slot"
                    + " array (multi-phase init), or call PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED) in"
                    + " PyInit_" + d.module() + " (single-phase init)";
            case "cython" -> "once the module is thread-safe, add '# cython: freethreading_compatible=True' to the top of"
                    + " the .pyx, or compiler_directives={'freethreading_compatible': True} to cythonize (Cython >= 3.1)";
            case "pybind11" -> "once the module is thread-safe, write PYBIND11_MODULE(" + d.module()
                    + ", m, py::mod_gil_not_used()) (pybind11 >= 2.13)";
            case "nanobind" -> "once the module is thread-safe, build it with nanobind_add_module(" + d.module()
                    + " FREE_THREADED ...) (nanobind >= 2.2)";
            case "pyo3-ffi" -> "once the module is thread-safe, add PyModuleDef_Slot { slot: Py_mod_gil, value:"
                    + " Py_MOD_GIL_NOT_USED } to its m_slots (multi-phase init), or call PyUnstable_Module_SetGIL(module,"
                    + " Py_MOD_GIL_NOT_USED) in PyInit_" + d.module() + " (single-phase init)";
            case "pyo3" -> "once the module is thread-safe, write #[pymodule(gil_used = false)] (PyO3 >= 0.23; the"
                    + " default from PyO3 0.28)";
            case "cffi" -> "require cffi>=2.0 in the build requirements: its generated modules declare free-threading"
                    + " support (make sure the C code you give set_source is thread-safe)";
            default -> "declare free-threading support the way the binding layer provides";
        };
        return switch (d.state()) {
            case NOT_USED -> null;
            case ABSENT -> new Finding(MISSING, Finding.Severity.WARNING, d.file(), d.line(), 1, d.module(),
                    "module '" + d.module() + "' (" + d.binding() + ") does not declare free-threading support, so"
                            + " importing it on a free-threaded interpreter re-enables the GIL for the whole process"
                            + (d.mechanism().equals("none") ? "" : " (" + d.mechanism() + ")"),
                    fix);
            case USED -> new Finding(USED, Finding.Severity.NOTE, d.evidenceFile(), d.evidenceLine(), 1, d.module(),
                    "module '" + d.module() + "' declares that it needs the GIL (" + d.mechanism()
                            + "): importing it re-enables the GIL on a free-threaded interpreter",
                    fix);
            case UNKNOWN -> new Finding(UNKNOWN, Finding.Severity.NOTE, d.evidenceFile().isEmpty() ? d.file() : d.evidenceFile(),
                    d.evidenceFile().isEmpty() ? d.line() : d.evidenceLine(), 1, d.module(),
                    "module '" + d.module() + "' has a GIL declaration whose value could not be read statically ("
                            + d.mechanism() + ")",
                    "write the value literally (Py_MOD_GIL_NOT_USED) so tools and readers can see it");
        };
    }
}
