package dev.ftmatrix.scanner.internal;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extensions that setup.py builds which are no Python modules on Linux: C libraries the package loads with ctypes or
 * cffi's {@code dlopen} (pycryptodome's {@code Crypto.Hash._MD5}). Their sources define no {@code PyInit_}; the one
 * they name comes from a macro that makes an empty {@code PyInit_} stub only on Windows, where distutils insists on
 * one. CPython never imports such a library, so it declares nothing and cannot re-enable the GIL.
 */
final class NativeLibraries {
    private static final Pattern MACRO_WITH_INIT = Pattern.compile(
            "(?m)^[ \\t]*#[ \\t]*define[ \\t]+(\\w+)\\([^)\\n]*\\)[^\\n]*\\bPyInit_");
    private static final Pattern DIRECTIVE = Pattern.compile("^[ \\t]*#[ \\t]*(if|ifdef|ifndef|elif|else|endif)\\b(.*)$");
    private static final Pattern INCLUDE = Pattern.compile("(?m)^[ \\t]*#[ \\t]*include[ \\t]*\"([^\"\\n]+\\.c)\"");
    private static final Pattern WINDOWS = Pattern.compile(
            "\\b(?:_MSC_VER|_WIN32|_WIN64|__MINGW32__|__MINGW64__|MS_WINDOWS|__CYGWIN__)\\b");

    private final SourceTree tree;
    private Map<String, String> windowsOnlyInitMacros;

    NativeLibraries(SourceTree tree) {
        this.tree = tree;
    }

    /**
     * When {@code sources} (all in the tree) define no module and name a macro that makes {@code PyInit_} on Windows
     * only: that macro's {@code file:line}.
     */
    Optional<String> windowsOnlyInit(List<String> sources) {
        if (sources.isEmpty() || !sources.stream().allMatch(tree::exists)) {
            return Optional.empty();
        }
        sources = withIncludedCode(sources);
        for (String s : sources) {
            String text = tree.text(s);
            if (text.contains("PyInit_") || text.contains("PYBIND11_MODULE") || text.contains("NB_MODULE")
                    || text.contains("PyModuleDef")) {
                return Optional.empty();
            }
        }
        for (var e : macros().entrySet()) {
            Pattern call = Pattern.compile("(?m)^[ \\t]*" + e.getKey() + "[ \\t]*\\(");
            if (sources.stream().anyMatch(s -> call.matcher(tree.text(s)).find())) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** The sources and the C files they {@code #include "..."} (pycryptodome's {@code hash_SHA2_template.c}). */
    private List<String> withIncludedCode(List<String> sources) {
        Set<String> out = new LinkedHashSet<>(sources);
        Deque<String> todo = new ArrayDeque<>(sources);
        while (!todo.isEmpty()) {
            String f = todo.pop();
            Matcher m = INCLUDE.matcher(tree.text(f));
            while (m.find()) {
                String dir = SourceTree.dirOf(f);
                String inc = Path.of(dir.isEmpty() ? "." : dir).resolve(m.group(1)).normalize().toString()
                        .replace('\\', '/');
                if (tree.exists(inc) && out.add(inc)) {
                    todo.push(inc);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Function-like macros whose every definition that makes a {@code PyInit_} sits in a Windows-only branch. */
    private Map<String, String> macros() {
        if (windowsOnlyInitMacros != null) {
            return windowsOnlyInitMacros;
        }
        Map<String, String> windowsOnly = new LinkedHashMap<>();
        Set<String> elsewhere = new HashSet<>();
        for (String h : tree.withSuffix(".h")) {
            String text = tree.text(h);
            if (SourceTree.vendored(h) || !text.contains("PyInit_")) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            Matcher m = MACRO_WITH_INIT.matcher(text);
            while (m.find()) {
                int line = tree.lineAt(h, m.start());
                if (windowsBranch(lines, line - 1)) {
                    windowsOnly.putIfAbsent(m.group(1), h + ":" + line);
                } else {
                    elsewhere.add(m.group(1));
                }
            }
        }
        elsewhere.forEach(windowsOnly::remove);
        windowsOnlyInitMacros = windowsOnly;
        return windowsOnly;
    }

    /** Whether one of the conditional branches around line {@code index} holds only on Windows. */
    static boolean windowsBranch(String[] lines, int index) {
        int depth = 0;
        boolean branchSeen = false;   // the innermost open level's own branch condition was read already
        for (int i = index - 1; i >= 0; i--) {
            Matcher d = DIRECTIVE.matcher(lines[i]);
            if (!d.matches()) {
                continue;
            }
            String kind = d.group(1);
            String cond = d.group(2).replaceAll("/\\*.*?\\*/|//.*", "");
            if (kind.equals("endif")) {
                depth++;
            } else if (depth > 0) {
                if (kind.startsWith("if")) {
                    depth--;
                }
            } else {
                if (!branchSeen && !kind.equals("else") && !kind.equals("ifndef") && !cond.contains("!")
                        && WINDOWS.matcher(cond).find()) {
                    return true;
                }
                // after an #elif/#else the level's #if is further up; after its #if the enclosing level is next
                branchSeen = !kind.startsWith("if");
            }
        }
        return false;
    }
}
