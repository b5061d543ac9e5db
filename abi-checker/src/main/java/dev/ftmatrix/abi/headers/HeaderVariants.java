package dev.ftmatrix.abi.headers;

import dev.ftmatrix.abi.headers.Condition.Tv;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One header as the free-threaded and as the GIL build see it: lines in branches that {@code Py_GIL_DISABLED} decides
 * against are blanked (so line numbers stay), and the directives it decides are blanked too; conditions on anything
 * else are kept as they are. Also lists the {@code #error} guards that depend on Py_GIL_DISABLED.
 * Conditions are evaluated in three-valued logic, atom by atom, so a branch is dropped only when Py_GIL_DISABLED alone
 * rules it out: after {@code #if defined(Py_GIL_DISABLED) && !defined(X)}, the {@code #else} stays in both views.
 */
public final class HeaderVariants {
    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*#\\s*(ifdef|ifndef|if|elif|else|endif|error)\\b(.*)$");

    private static final Pattern INCLUDE_GUARD = Pattern.compile("!defined\\((\\w+_H_?)\\)");

    /** A guard: {@code #error} reached under a condition that involves Py_GIL_DISABLED. */
    record Guard(int line, String condition, String message) {
    }

    private final String ft;
    private final String gil;
    private final List<Guard> guards;

    /** A branch of an #if chain: its value per build, whether a branch so far was taken, whether all are known. */
    private record Frame(Tv ftNow, Tv gilNow, Tv ftTaken, Tv gilTaken, boolean known, String condition) {
    }

    public HeaderVariants(String code, String raw) {
        String[] lines = code.split("\n", -1);
        String[] rawLines = raw.split("\n", -1);
        StringBuilder f = new StringBuilder();
        StringBuilder g = new StringBuilder();
        List<Guard> found = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        for (int i = 0; i < lines.length; i++) {
            // a directive continued with backslashes is one logical line
            int first = i;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (logical.toString().stripTrailing().endsWith("\\") && i + 1 < lines.length) {
                String s = logical.toString().stripTrailing();
                logical.setLength(0);
                logical.append(s, 0, s.length() - 1).append(' ').append(lines[++i]);
            }
            int count = i - first + 1;
            Matcher m = DIRECTIVE.matcher(logical);
            boolean blankDirective = false;
            if (m.matches()) {
                String kind = m.group(1);
                String cond = m.group(2).strip();
                switch (kind) {
                    case "if", "ifdef", "ifndef" -> {
                        String expr = kind.equals("if") ? cond : (kind.equals("ifndef") ? "!" : "") + "defined(" + cond + ")";
                        Tv fv = Condition.eval(expr, true);
                        Tv gv = Condition.eval(expr, false);
                        boolean known = fv != Tv.UNKNOWN && gv != Tv.UNKNOWN;
                        stack.push(new Frame(fv, gv, fv, gv, known, expr));
                        blankDirective = known;
                    }
                    case "elif" -> {
                        Frame top = stack.isEmpty() ? new Frame(Tv.UNKNOWN, Tv.UNKNOWN, Tv.UNKNOWN, Tv.UNKNOWN, false, "")
                                : stack.pop();
                        Tv fv = Condition.eval(cond, true);
                        Tv gv = Condition.eval(cond, false);
                        boolean known = top.known() && fv != Tv.UNKNOWN && gv != Tv.UNKNOWN;
                        stack.push(new Frame(top.ftTaken().not().and(fv), top.gilTaken().not().and(gv),
                                top.ftTaken().or(fv), top.gilTaken().or(gv), known,
                                "!(" + top.condition() + ") && " + cond));
                        blankDirective = known;
                    }
                    case "else" -> {
                        Frame top = stack.isEmpty() ? new Frame(Tv.UNKNOWN, Tv.UNKNOWN, Tv.UNKNOWN, Tv.UNKNOWN, false, "")
                                : stack.pop();
                        stack.push(new Frame(top.ftTaken().not(), top.gilTaken().not(), Tv.TRUE, Tv.TRUE, top.known(),
                                "!(" + top.condition() + ")"));
                        blankDirective = top.known();
                    }
                    case "endif" -> {
                        Frame top = stack.isEmpty() ? null : stack.pop();
                        blankDirective = top != null && top.known();
                    }
                    case "error" -> {
                        if (stack.stream().anyMatch(fr -> Condition.mentionsFt(fr.condition()))) {
                            List<String> conds = new ArrayList<>();
                            stack.descendingIterator().forEachRemaining(fr -> {
                                if (!INCLUDE_GUARD.matcher(fr.condition()).matches()) {
                                    conds.add(fr.condition());
                                }
                            });
                            String message = first < rawLines.length ? rawLines[first].strip().replaceFirst("^#\\s*error\\s*", "") : "";
                            found.add(new Guard(first + 1, String.join(" && ", conds), message));
                        }
                    }
                    default -> throw new IllegalStateException(kind);
                }
            }
            boolean ftOn = stack.stream().noneMatch(fr -> fr.ftNow() == Tv.FALSE);
            boolean gilOn = stack.stream().noneMatch(fr -> fr.gilNow() == Tv.FALSE);
            for (int k = 0; k < count; k++) {
                String line = lines[first + k];
                f.append(ftOn && !blankDirective ? line : "").append('\n');
                g.append(gilOn && !blankDirective ? line : "").append('\n');
            }
        }
        // one '\n' per line was appended: the last line has none in the input
        this.ft = f.substring(0, f.length() - 1);
        this.gil = g.substring(0, g.length() - 1);
        this.guards = List.copyOf(found);
    }

    /** The header with Py_GIL_DISABLED defined. */
    public String ft() {
        return ft;
    }

    /** The header without Py_GIL_DISABLED. */
    public String gil() {
        return gil;
    }

    List<Guard> guards() {
        return guards;
    }
}
