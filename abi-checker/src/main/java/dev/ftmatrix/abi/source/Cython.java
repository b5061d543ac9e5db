package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.GilDeclaration;
import dev.ftmatrix.abi.GilDeclaration.State;
import dev.ftmatrix.abi.source.GilDeclarations.Evidence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cython modules (one per {@code .pyx}, per {@code .pyx.in}/{@code .pyx.tp} template whose {@code .pyx} is generated at
 * build time, and per {@code .py} in Cython's pure-Python mode that opens with a {@code # cython:} comment) and their {@code freethreading_compatible} directive: in the file's header
 * comment, else project-wide in the build configuration ({@code compiler_directives}, {@code -X} / {@code --directive}
 * arguments, or the {@code CYTHON_FREETHREADING_COMPATIBLE} C macro of Cython 3.2.3+).
 */
final class Cython {
    private static final Pattern INCLUDE = Pattern.compile(
            "^[ \\t]*include[ \\t]+[\"']([^\"']+\\.pyx)[\"']", Pattern.MULTILINE);
    private static final Pattern DEFINE_LINES_ONLY = Pattern.compile(
            "^(?!\\s*#\\s*define\\b).*$", Pattern.MULTILINE);

    private Cython() {
    }

    static void find(List<SourceFile> files, Map<String, String> python, List<GilDeclaration> modules) {
        List<Evidence> project = new ArrayList<>();
        for (SourceFile f : files) {
            if (f.lang() == Lang.BUILD) {
                Matcher m = GilDeclarations.ftCompatible().matcher(f.code().contains("reethreading") ? f.code() : "");
                while (m.find()) {
                    project.add(new Evidence(GilDeclarations.booleanValue(m.group(1), true),
                            "freethreading_compatible directive in " + f.name(), f.path(), f.line(m.start())));
                }
                if (f.code().contains("CYTHON_FREETHREADING_COMPATIBLE")) {
                    macro(f, f.code(), project);
                }
            } else if (f.lang() == Lang.C && f.code().contains("CYTHON_FREETHREADING_COMPATIBLE")) {
                String defines = BorrowedReferenceRule.blankMatches(f.code(), DEFINE_LINES_ONLY);
                macro(f, defines, project);
            }
        }
        Set<String> paths = new HashSet<>();
        files.forEach(f -> paths.add(f.path()));
        // a .pyx that another one includes (include "_packer.pyx") is part of that module, not a module; the path is
        // resolved from the including file (mpi4py's MPI.pyx includes MPI.src/MPI.pyx, a file of the same name)
        Set<String> included = new HashSet<>();
        for (SourceFile f : files) {
            if (f.lang() == Lang.CYTHON) {
                Matcher inc = INCLUDE.matcher(f.text());
                while (inc.find()) {
                    String target = inc.group(1);
                    String dir = f.path().contains("/") ? f.path().substring(0, f.path().lastIndexOf('/')) : ".";
                    String resolved = Path.of(dir).resolve(target).normalize().toString().replace('\\', '/');
                    if (paths.contains(resolved)) {
                        included.add(resolved);
                    } else {
                        paths.stream().filter(p -> p.equals(target) || p.endsWith("/" + target)).forEach(included::add);
                    }
                }
            }
        }
        for (SourceFile f : files) {
            String pyx = f.path().replaceFirst("\\.pyx\\.(in|tp)$", ".pyx");
            if (f.lang() != Lang.CYTHON || !pyx.endsWith(".pyx") || included.contains(f.path())
                    || !pyx.equals(f.path()) && paths.contains(pyx)) {
                continue;   // not a module; or a template whose generated .pyx is here too, and read
            }
            String name = pyx.substring(pyx.lastIndexOf('/') + 1);
            module(name.substring(0, name.length() - 4), f, project, modules);
        }
        // pure-Python mode (pyzmq's _zmq.py): a .py is a Cython module only where the project compiles it, which a
        // header comment of Cython directives says as plainly as the source can
        python.forEach((path, text) -> {
            SourceFile f = new SourceFile(path, Lang.CYTHON, text);
            if (path.endsWith(".py") && headerLines(f).stream().anyMatch(l -> GilDeclarations.cythonHeader().matcher(l).matches())) {
                String name = f.name();
                module(name.substring(0, name.length() - 3), f, project, modules);
            }
        });
    }

    private static void module(String module, SourceFile f, List<Evidence> project, List<GilDeclaration> modules) {
        List<Evidence> own = header(f);
        modules.add(GilDeclarations.declare(module, "cython", f, 0, own.isEmpty() ? project : own));
    }

    /** The comment block that opens the file, stripped, line by line (blank lines included). */
    private static List<String> headerLines(SourceFile f) {
        List<String> out = new ArrayList<>();
        for (String line : f.text().split("\n", 50)) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    private static void macro(SourceFile f, String code, List<Evidence> out) {
        Matcher c = GilDeclarations.cythonMacro().matcher(code);
        while (c.find()) {
            String v = c.group(1) != null ? c.group(1) : c.group(2);
            out.add(new Evidence(v == null ? State.NOT_USED : GilDeclarations.booleanValue(v, true),
                    "CYTHON_FREETHREADING_COMPATIBLE macro", f.path(), f.line(c.start())));
        }
    }

    /** Directives in the comment block that opens the file, where Cython reads them. */
    private static List<Evidence> header(SourceFile f) {
        List<Evidence> out = new ArrayList<>();
        List<String> lines = headerLines(f);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher h = GilDeclarations.cythonHeader().matcher(line);
            if (h.matches()) {
                Matcher v = GilDeclarations.ftCompatible().matcher(h.group(1));
                if (v.find()) {
                    out.add(new Evidence(GilDeclarations.booleanValue(v.group(1), true),
                            "# cython: freethreading_compatible", f.path(), i + 1));
                }
            }
        }
        return out;
    }
}
