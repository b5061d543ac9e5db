package dev.ftmatrix.abi.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which lines of a C file the preprocessor leaves out of a free-threaded build: those under
 * {@code #ifndef Py_GIL_DISABLED}, {@code #if !defined(Py_GIL_DISABLED)}, or the {@code #else} of
 * {@code #ifdef Py_GIL_DISABLED}. Other conditions are taken as possibly true.
 */
final class Conditionals {
    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*#\\s*(ifdef|ifndef|if|elif|else|endif)\\b(.*)$");
    private static final Pattern DEFINED_FT = Pattern.compile("^\\s*(?:defined\\s*\\(?\\s*)?Py_GIL_DISABLED\\s*\\)?\\s*$");
    private static final Pattern NOT_DEFINED_FT = Pattern.compile("^\\s*!\\s*defined\\s*\\(?\\s*Py_GIL_DISABLED\\s*\\)?\\s*$");

    /** Per-branch state: does the branch exclude free-threaded builds, and does its #else? */
    private record Branch(boolean excludesFt, boolean elseExcludesFt) {
    }

    private Conditionals() {
    }

    /** {@code result[line-1]} is true when that line is compiled only without Py_GIL_DISABLED. */
    static boolean[] gilOnlyLines(SourceFile file) {
        String[] lines = file.code().split("\n", -1);
        boolean[] out = new boolean[lines.length];
        Deque<Branch> stack = new ArrayDeque<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i]);
            if (m.matches()) {
                String kind = m.group(1);
                String cond = m.group(2);
                switch (kind) {
                    case "ifdef" -> stack.push(new Branch(false, cond.strip().equals("Py_GIL_DISABLED")));
                    case "ifndef" -> stack.push(new Branch(cond.strip().equals("Py_GIL_DISABLED"), false));
                    case "if" -> stack.push(new Branch(NOT_DEFINED_FT.matcher(cond).matches(),
                            DEFINED_FT.matcher(cond).matches()));
                    case "elif" -> {
                        // reached only when the branches above were false: after #ifdef Py_GIL_DISABLED, never on ft
                        Branch b = stack.isEmpty() ? new Branch(false, false) : stack.pop();
                        stack.push(new Branch(b.elseExcludesFt(), b.elseExcludesFt()));
                    }
                    case "else" -> {
                        Branch b = stack.isEmpty() ? new Branch(false, false) : stack.pop();
                        stack.push(new Branch(b.elseExcludesFt(), false));
                    }
                    case "endif" -> {
                        if (!stack.isEmpty()) {
                            stack.pop();
                        }
                    }
                    default -> throw new IllegalStateException(kind);
                }
            }
            out[i] = stack.stream().anyMatch(Branch::excludesFt);
        }
        return out;
    }
}
