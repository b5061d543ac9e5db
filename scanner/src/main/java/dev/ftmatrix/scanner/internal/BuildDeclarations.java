package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extension modules as the build files declare them, with their sources: setuptools {@code Extension(...)} in
 * {@code setup.py} and {@code [tool.setuptools] ext-modules}, meson's {@code extension_module}, CMake's
 * {@code *_add_module}/{@code Python_add_library}, maturin's {@code module-name}. Read as text, never executed.
 */
public final class BuildDeclarations {
    /**
     * A declared module: dotted name, sources relative to the project root, where it is declared, and its role
     * ({@code shipped}, or why the Linux CPython wheel does not have it) with the {@code file:line} that tells.
     */
    public record Declared(String name, List<String> sources, String evidence, String role, String roleEvidence,
                           List<String> buildFlags) {
        public Declared {
            sources = List.copyOf(sources);
            buildFlags = List.copyOf(buildFlags);
        }

        Declared(String name, List<String> sources, String evidence, String role, String roleEvidence) {
            this(name, sources, evidence, role, roleEvidence, List.of());
        }

        Declared(String name, List<String> sources, String evidence) {
            this(name, sources, evidence, "shipped", null);
        }
    }

    /**
     * The declarations, whether the build files list every module (so that no other source builds one), the
     * {@code cffi_modules} setup.py names, whether maturin builds the project (one extension module), and whether
     * setup.py was read as an AST (then a Rust module it does not declare is not built by it), and setup.py's
     * {@code ext_package}.
     */
    public record Found(List<Declared> declared, boolean complete, List<String> cffiModules, boolean maturin,
                        boolean setupPyRead, String extPackage) {
        public Found {
            declared = List.copyOf(declared);
            cffiModules = List.copyOf(cffiModules);
        }
    }

    private static final Pattern EXTENSION = Pattern.compile("\\b\\w*Extension\\s*\\(");
    private static final Pattern FIRST_STRING = Pattern.compile("\\A\\s*(?:name\\s*=\\s*)?[\"']([\\w.]+)[\"']\\s*[,)]");
    private static final Pattern NAME_KW = Pattern.compile("\\bname\\s*=\\s*[\"']([\\w.]+)[\"']\\s*[,)]");
    private static final Pattern SOURCES_KW = Pattern.compile("\\bsources\\s*=\\s*\\[([^\\]]*)\\]");
    private static final Pattern SECOND_LIST = Pattern.compile("\\A\\s*[\"'][\\w.]+[\"']\\s*,\\s*\\[([^\\]]*)\\]");
    private static final Pattern STRING = Pattern.compile("[\"']([^\"'\\n]+)[\"']");
    private static final Pattern MESON = Pattern.compile("\\bextension_module\\s*\\(");
    private static final Pattern MESON_NAME = Pattern.compile("\\A\\s*'([\\w.]+)'");
    private static final Pattern MESON_SUBDIR = Pattern.compile("\\bsubdir\\s*:\\s*'([^']*)'");
    private static final Pattern CMAKE = Pattern.compile(
            "(?i)\\b(?:pybind11_add_module|nanobind_add_module|python3?_add_library)\\s*\\(");

    private BuildDeclarations() {
    }

    public static Found find(SourceTree tree, JsonNode pyproject) {
        List<Declared> out = new ArrayList<>();
        boolean complete = false;
        boolean evaluated = false;
        String extPackage = "";
        List<String> cffi = new ArrayList<>();
        // the project's own setup.py is the one at the root; others (demo/, examples/) build other things
        String backend = pyproject.path("build-system").path("build-backend").asText("");
        boolean otherBackend = backend.matches("(maturin|mesonpy|scikit_build_core|hatchling|flit_core|pdm|poetry).*");
        List<String> setupPys = tree.exists("setup.py") ? List.of("setup.py")
                : otherBackend ? List.of() : tree.named("setup.py");
        for (String f : setupPys) {
            if (SourceTree.vendored(f) || SourceTree.notShipped(f)) {
                continue;
            }
            var read = SetupPyModules.read(tree, f);
            if (read.isPresent()) {
                for (SetupPyModules.Module m : read.get().modules()) {
                    out.add(new Declared(m.name(), m.sources(), m.file() + ":" + m.line(), m.role(),
                            m.conditionLine() == null ? null : f + ":" + m.conditionLine(), m.flags()));
                }
                complete |= read.get().complete();
                evaluated = true;
                extPackage = read.get().extPackage();
                cffi.addAll(read.get().cffiModules());
            } else {
                setupPy(tree, f, out);
            }
        }
        int i = 0;
        for (JsonNode ext : pyproject.path("tool").path("setuptools").path("ext-modules")) {
            out.add(new Declared(ext.path("name").asText(), PyprojectToml.strings(ext.path("sources")),
                    tree.find("pyproject.toml", Pattern.compile("ext-modules")).orElse("pyproject.toml") + "#" + i++));
        }
        // a setuptools build whose setup.py defines its modules does not use the CMake or meson files beside it
        // (line_profiler's CMakeLists.txt is for an optional scikit-build build)
        boolean setupPyDefines = !otherBackend && out.stream().anyMatch(d -> d.role().equals("shipped"));
        if (!setupPyDefines) {
            mesonAndCmake(tree, pyproject, out);
        }
        boolean maturin = maturin(tree, pyproject, out);
        int r = 0;
        for (JsonNode ext : pyproject.path("tool").path("setuptools-rust").path("ext-modules")) {
            String target = ext.path("target").asText("");
            if (!target.isEmpty()) {
                out.add(new Declared(target, List.of(), tree.find("pyproject.toml",
                        Pattern.compile("setuptools-rust\\.ext-modules")).orElse("pyproject.toml") + "#" + r++));
            }
        }
        return new Found(out, complete, cffi, maturin, evaluated, extPackage);
    }

    private static void mesonAndCmake(SourceTree tree, JsonNode pyproject, List<Declared> out) {
        if (tree.exists("meson.build")) {
            out.addAll(MesonModules.read(tree));
        } else {
            for (String f : tree.named("meson.build")) {
                if (!SourceTree.vendored(f) && !SourceTree.notShipped(f)) {
                    meson(tree, f, out);
                }
            }
        }
        if (tree.exists("CMakeLists.txt")) {
            out.addAll(CMakeModules.read(tree, pyproject));
        } else {
            for (String f : tree.named("CMakeLists.txt")) {
                if (!SourceTree.vendored(f) && !SourceTree.notShipped(f)) {
                    cmake(tree, f, out);
                }
            }
        }
    }

    /**
     * maturin's module: {@code [tool.maturin] module-name}, else the crate's {@code [lib] name}. A name without a
     * package is installed inside a package of the same name: maturin writes {@code rpds/__init__.py} (re-exporting
     * the module) next to {@code rpds/rpds.*.so} in a pure Rust project, and a mixed project has that package.
     */
    private static boolean maturin(SourceTree tree, JsonNode pyproject, List<Declared> out) {
        JsonNode tool = pyproject.path("tool").path("maturin");
        boolean backend = pyproject.path("build-system").path("build-backend").asText("").startsWith("maturin");
        String name = tool.path("module-name").asText("");
        String evidence = tree.find("pyproject.toml", Pattern.compile("module-name")).orElse(null);
        if (name.isEmpty() && backend) {
            String manifest = tool.path("manifest-path").asText("Cargo.toml");
            String crate = SourceTree.dirOf(Path.of(manifest).normalize().toString().replace('\\', '/'));
            name = CargoFacts.libName(tree, crate);
            evidence = tree.find(crate.isEmpty() ? "Cargo.toml" : crate + "/Cargo.toml",
                    Pattern.compile("(?m)^\\s*name\\s*=")).orElse(null);
        }
        if (name.isEmpty()) {
            return false;
        }
        if (!name.contains(".")) {
            name = name + "." + name;
        }
        out.add(new Declared(name, List.of(), evidence != null ? evidence : "pyproject.toml"));
        return true;
    }

    private static void setupPy(SourceTree tree, String f, List<Declared> out) {
        String text = tree.text(f);
        String dir = SourceTree.dirOf(f);
        Matcher m = EXTENSION.matcher(text);
        while (m.find()) {
            String args = Balanced.args(text, m.end() - 1);
            Matcher first = FIRST_STRING.matcher(args);
            Matcher kw = NAME_KW.matcher(args);
            String name = first.find() ? first.group(1) : kw.find() ? kw.group(1) : null;
            if (name == null) {
                continue;   // a name computed at run time; the sources will still show the module
            }
            Matcher src = SOURCES_KW.matcher(args);
            Matcher pos = SECOND_LIST.matcher(args);
            String list = src.find() ? src.group(1) : pos.find() ? pos.group(1) : "";
            out.add(new Declared(name, strings(list, dir), f + ":" + tree.lineAt(f, m.start())));
        }
    }

    private static void meson(SourceTree tree, String f, List<Declared> out) {
        String text = tree.text(f);
        Matcher m = MESON.matcher(text);
        while (m.find()) {
            String args = Balanced.args(text, m.end() - 1);
            Matcher first = MESON_NAME.matcher(args);
            if (!first.find()) {
                continue;   // a name from a loop variable; the sources still show the modules
            }
            Matcher sub = MESON_SUBDIR.matcher(args);
            String pkg = sub.find() ? sub.group(1).replaceAll("/+$", "").replace('/', '.') : "";
            String name = (pkg.isEmpty() ? "" : pkg + ".") + first.group(1);
            List<String> sources = strings(args.substring(first.end()), SourceTree.dirOf(f)).stream()
                    .filter(s -> s.matches(".*\\.(c|cc|cpp|cxx|pyx|rs)$")).toList();
            out.add(new Declared(name, sources, f + ":" + tree.lineAt(f, m.start())));
        }
    }

    private static void cmake(SourceTree tree, String f, List<Declared> out) {
        String text = tree.text(f);
        Matcher m = CMAKE.matcher(text);
        while (m.find()) {
            String args = Balanced.args(text, m.end() - 1).trim();
            String[] words = args.split("\\s+");
            if (words.length == 0 || !words[0].matches("[\\w.]+")) {
                continue;
            }
            List<String> sources = new ArrayList<>();
            for (String w : words) {
                String s = w.replace("\"", "");
                if (s.matches("[\\w./-]+\\.(c|cc|cpp|cxx)")) {
                    sources.add(join(SourceTree.dirOf(f), s.replace("${CMAKE_CURRENT_SOURCE_DIR}/", "")));
                }
            }
            out.add(new Declared(words[0], sources, f + ":" + tree.lineAt(f, m.start())));
        }
    }

    private static List<String> strings(String list, String dir) {
        List<String> out = new ArrayList<>();
        Matcher s = STRING.matcher(list);
        while (s.find()) {
            out.add(join(dir, s.group(1)));
        }
        return out;
    }

    static String join(String dir, String rel) {
        String p = rel.startsWith("./") ? rel.substring(2) : rel;
        return dir.isEmpty() ? p : dir + "/" + p;
    }
}
