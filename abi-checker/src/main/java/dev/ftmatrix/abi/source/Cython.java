package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.GilDeclaration;
import dev.ftmatrix.abi.GilDeclaration.State;
import dev.ftmatrix.abi.source.GilDeclarations.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Cython modules (one per {@code .pyx}) and their {@code freethreading_compatible} directive: in the file's header
 * comment, else project-wide in the build configuration ({@code compiler_directives}, {@code -X} / {@code --directive}
 * arguments, or the {@code CYTHON_FREETHREADING_COMPATIBLE} C macro of Cython 3.2.3+).
 */
final class Cython {
    private static final java.util.regex.Pattern INCLUDE = java.util.regex.Pattern.compile(
            "^[ \\t]*include[ \\t]+[\"']([^\"']+\\.pyx)[\"']", java.util.regex.Pattern.MULTILINE);
    private static final java.util.regex.Pattern DEFINE_LINES_ONLY = java.util.regex.Pattern.compile(
            "^(?!\\s*#\\s*define\\b).*$", java.util.regex.Pattern.MULTILINE);

    private Cython() {
    }

    static void find(List<SourceFile> files, List<GilDeclaration> modules) {
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
        // a .pyx that another one includes (include "_packer.pyx") is part of that module, not a module
        java.util.Set<String> included = new java.util.HashSet<>();
        for (SourceFile f : files) {
            if (f.lang() == Lang.CYTHON) {
                Matcher inc = INCLUDE.matcher(f.text());
                while (inc.find()) {
                    String target = inc.group(1);
                    included.add(target.substring(target.lastIndexOf('/') + 1));
                }
            }
        }
        for (SourceFile f : files) {
            if (f.lang() != Lang.CYTHON || !f.name().endsWith(".pyx") || included.contains(f.name())) {
                continue;
            }
            String module = f.name().substring(0, f.name().length() - 4);
            List<Evidence> own = header(f);
            GilDeclaration d = GilDeclarations.declare(module, "cython", f, 0, own.isEmpty() ? project : own);
            modules.add(d);
        }
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
        String[] lines = f.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                break;
            }
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
