package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.core.SourceFacts;
import dev.ftmatrix.scanner.ProjectScan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins the modules the build files declare with the definitions found in the sources, names them, and asks
 * abi-checker's reading of the same tree (given as {@link SourceFacts.DeclaredModule}s) what each declares.
 */
public final class ExtensionModules {
    private ExtensionModules() {
    }

    private static final String TEST_SHIPPED = ProjectScan.Module.TEST_SHIPPED;
    private static final Pattern FT_MACRO = Pattern.compile("-DCYTHON_FREETHREADING_COMPATIBLE(?:=(\\w+))?");
    private static final Pattern FT_DIRECTIVE = Pattern.compile("freethreading_compatible\\s*=\\s*(True|False|true|false)");
    private static final Pattern TEST_NAME = Pattern.compile(
            "(^|\\.)(tests?|testing)(\\.|$)|(^|\\.)_?test_?\\w*$|_tests?$");
    private static final Pattern EXAMPLE_DIR = Pattern.compile(
            "(^|/)(docs?|_?examples?|demos?|samples?|benchmarks?|bench|asv_bench|tools|ci|scripts)/");

    public static List<ProjectScan.Module> assemble(SourceTree tree, BuildDeclarations.Found found,
                                                    List<ModuleDefinition> defs, List<SourceFacts.DeclaredModule> decls) {
        List<BuildDeclarations.Declared> declared = found.declared();
        List<ProjectScan.Module> out = new ArrayList<>();
        Set<ModuleDefinition> claimed = new HashSet<>();
        Set<String> names = new HashSet<>();
        NativeLibraries libraries = new NativeLibraries(tree);
        for (BuildDeclarations.Declared d : declared) {
            if (!names.add(d.name())) {
                continue;   // declared twice (e.g. setup.py and pyproject for the same module)
            }
            ModuleDefinition def = match(d, defs, claimed, found.maturin() && d.sources().isEmpty());
            String layer = def != null ? def.layer() : layerOf(d.sources());
            if (def != null) {
                claimed.add(def);
            }
            List<String> sources = !d.sources().isEmpty() ? d.sources() : def != null ? List.of(def.file()) : List.of();
            String role = d.role().equals(ProjectScan.Module.SHIPPED) && TEST_NAME.matcher(d.name()).find()
                    ? TEST_SHIPPED : d.role();
            ProjectScan.Module m = withBuildFlags(module(d.name(), sources, layer, def, decls, d.evidence()), d)
                    .withRole(role, d.roleEvidence());
            Optional<String> library = def == null && m.declaration().equals("unknown")
                    && role.equals(ProjectScan.Module.SHIPPED) ? libraries.windowsOnlyInit(sources) : Optional.empty();
            if (library.isPresent()) {
                m = new ProjectScan.Module(m.name(), m.sources(), m.bindingLayer(), ProjectScan.Module.NOT_A_MODULE,
                        "no PyInit_ on Linux: the macro that makes one does so on Windows only; a C library the package"
                                + " loads with ctypes or cffi", library.get(), ProjectScan.Module.NATIVE_LIBRARY,
                        d.evidence());
            }
            out.add(m);
        }
        List<String> explicitBuildFiles = tree.files().stream().filter(f -> (f.endsWith("meson.build")
                || f.endsWith("CMakeLists.txt")) && !SourceTree.vendored(f) && !SourceTree.notShipped(f)).toList();
        boolean explicitSources = tree.exists("meson.build") || tree.exists("CMakeLists.txt");
        for (ModuleDefinition def : defs) {
            if (explicitSources && !def.layer().startsWith("pyo3")
                    && !mentioned(tree, explicitBuildFiles, def.file())) {
                continue;   // meson and CMake list every source: a file none of them names is not built
            }
            if (!claimed.contains(def) && !def.detail().equals(ModuleDefinitions.PURE_PYTHON)) {
                // cffi: set_source's name, in the builder's package when the name has none (argon2-cffi-bindings)
                String name = def.layer().equals("cffi") && def.shortName().contains(".") ? def.shortName()
                        : def.layer().equals("cffi") && !found.extPackage().isEmpty()
                        ? found.extPackage() + "." + def.shortName() : qualified(tree, def);
                if (names.add(name)) {
                    out.add(module(name, List.of(def.file()), def.layer(), def, decls, def.evidence())
                            .withRole(roleOf(tree, def, found), def.evidence()));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * A Cython module's declaration as its build flags set it: the {@code CYTHON_FREETHREADING_COMPATIBLE} macro
     * (Cython 3.2.3 and later) overrides the directive, and a directive given to the compiler
     * ({@code -Xfreethreading_compatible=True} in meson's {@code cython_args}, {@code compiler_directives} of
     * {@code cythonize}) overrides the one in the source.
     */
    static ProjectScan.Module withBuildFlags(ProjectScan.Module m, BuildDeclarations.Declared d) {
        if (!m.bindingLayer().equals("cython") || d.buildFlags().isEmpty()) {
            return m;
        }
        String flags = String.join(" ", d.buildFlags());
        Matcher macro = FT_MACRO.matcher(flags);
        Matcher directive = FT_DIRECTIVE.matcher(flags);
        boolean on;
        String mechanism;
        if (macro.find()) {
            on = macro.group(1) == null || !macro.group(1).equals("0");
            mechanism = "CYTHON_FREETHREADING_COMPATIBLE macro in the build flags";
        } else if (directive.find()) {
            on = directive.group(1).equalsIgnoreCase("true");
            mechanism = "freethreading_compatible directive in the build flags";
        } else {
            return m;
        }
        return new ProjectScan.Module(m.name(), m.sources(), m.bindingLayer(), on ? "not-used" : "used", mechanism,
                d.evidence(), m.role(), m.roleEvidence());
    }

    /**
     * The role of a module found only by its definition: a test or example by where it is; a cffi module only when
     * {@code cffi_modules} names its builder; none of setup.py's when setup.py's module list was read whole.
     */
    private static String roleOf(SourceTree tree, ModuleDefinition def, BuildDeclarations.Found found) {
        if (SourceTree.notShipped(def.file())) {
            return EXAMPLE_DIR.matcher(def.file()).find() ? "example" : "test";
        }
        if (EXAMPLE_DIR.matcher(def.file()).find()) {
            return "example";
        }
        if (def.layer().equals("cffi")) {
            // an out-of-line builder is built only where cffi_modules names it (set_source in a docstring is not)
            boolean named = found.cffiModules().stream().anyMatch(c -> c.split(":")[0].equals(def.file())
                    || def.file().endsWith("/" + c.split(":")[0]))
                    || List.of("setup.cfg", "pyproject.toml").stream().anyMatch(f -> tree.text(f).contains("cffi_modules")
                    && tree.text(f).contains(def.file().substring(def.file().lastIndexOf('/') + 1)));
            return named ? ProjectScan.Module.SHIPPED : "not-built";
        }
        if ((found.complete() || found.maturin()) && !def.layer().startsWith("pyo3")) {
            return "not-built";   // setup.py's whole list was read, or maturin, which builds the Rust crate only
        }
        if (def.layer().startsWith("pyo3") && found.maturin()) {
            return "submodule";   // maturin builds one extension per project; other #[pymodule]s are inside it
        }
        if (def.layer().startsWith("pyo3") && found.setupPyRead()) {
            return "not-built";   // setup.py, read, declares no RustExtension for it (zstandard's optional rust-ext/)
        }
        return ProjectScan.Module.SHIPPED;
    }

    /**
     * Over the modules the Linux CPython wheel ships: true when every one declares the GIL unused; false when one does
     * not; null when that is not known. Test, example and other-platform modules do not count.
     */
    public static Boolean declaresFreeThreading(List<ProjectScan.Module> all) {
        List<ProjectScan.Module> modules = all.stream().filter(m -> ProjectScan.Module.SHIPPED.equals(m.role())).toList();
        if (modules.isEmpty()) {
            return null;
        }
        if (modules.stream().anyMatch(m -> m.declaration().equals("used") || m.declaration().equals("absent"))) {
            return false;
        }
        return modules.stream().allMatch(m -> m.declaration().equals("not-used")) ? Boolean.TRUE : null;
    }

    private static ProjectScan.Module module(String name, List<String> sources, String layer, ModuleDefinition def,
                                             List<SourceFacts.DeclaredModule> decls, String declaredAt) {
        SourceFacts.DeclaredModule d = declarationOf(name, sources, def, decls);
        if (d == null) {
            return new ProjectScan.Module(name, sources, layer, "unknown",
                    "no module definition the GIL-declaration rules could read", declaredAt, null, null);
        }
        return new ProjectScan.Module(name, sources, layer, d.declaration(), d.mechanism(), d.evidence(), null, null);
    }

    /** The declaration read where the module is defined: same file and name, else same file, else same name. */
    static SourceFacts.DeclaredModule declarationOf(String name, List<String> sources, ModuleDefinition def,
                                                     List<SourceFacts.DeclaredModule> decls) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        List<String> files = def != null ? List.of(def.file()) : sources;
        List<SourceFacts.DeclaredModule> inFiles = decls.stream().filter(d -> files.contains(d.definedIn())).toList();
        return inFiles.stream().filter(d -> d.name().equals(last) || def != null && d.name().equals(def.shortName()))
                .findFirst()
                .or(() -> inFiles.size() == 1 ? Optional.of(inFiles.getFirst()) : Optional.empty())
                .or(() -> decls.stream().filter(d -> d.name().equals(last)).findFirst())
                .orElse(null);
    }

    private static boolean mentioned(SourceTree tree, List<String> buildFiles, String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        return buildFiles.stream().anyMatch(b -> tree.text(b).contains(base));
    }

    /** The definition among the declared sources, else one with the module's last name part. */
    private static ModuleDefinition match(BuildDeclarations.Declared d, List<ModuleDefinition> defs,
                                          Set<ModuleDefinition> claimed, boolean rust) {
        for (ModuleDefinition def : defs) {
            if (!claimed.contains(def) && d.sources().contains(def.file())) {
                return def;
            }
        }
        String last = d.name().substring(d.name().lastIndexOf('.') + 1);
        // maturin's module is the Rust one, though a C build of the same name may sit beside it (blake3's c_impl/)
        return defs.stream().filter(def -> !claimed.contains(def)
                        && (def.shortName().equals(last) || def.shortName().equals(d.name())))
                .min(Comparator.comparing(def -> rust != def.layer().startsWith("pyo3")))
                .orElse(null);
    }

    /** The layer a declared module's sources suggest when no definition was found. */
    private static String layerOf(List<String> sources) {
        if (sources.stream().anyMatch(s -> s.endsWith(".pyx"))) {
            return "cython";
        }
        if (sources.stream().anyMatch(s -> s.endsWith(".rs"))) {
            return "pyo3";
        }
        return sources.isEmpty() ? "unknown" : "c-api";
    }

    /** The dotted name: the enclosing packages (directories with {@code __init__.py}) plus the module's name. */
    static String qualified(SourceTree tree, ModuleDefinition def) {
        if (def.layer().equals("pyo3") && def.shortName().contains(".")) {
            return def.shortName();
        }
        String dir = SourceTree.dirOf(def.file());
        List<String> parts = new ArrayList<>();
        while (!dir.isEmpty() && (tree.exists(dir + "/__init__.py") || tree.exists(dir + "/__init__.pxd"))) {
            parts.addFirst(dir.substring(dir.lastIndexOf('/') + 1));
            dir = SourceTree.dirOf(dir);
        }
        parts.add(def.shortName());
        return String.join(".", parts);
    }
}
