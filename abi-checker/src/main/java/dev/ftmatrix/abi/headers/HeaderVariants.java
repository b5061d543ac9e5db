package dev.ftmatrix.abi.headers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One header as the free-threaded and as the GIL build see it: lines in branches that {@code Py_GIL_DISABLED} decides
 * against are blanked (so line numbers stay), and the directives it decides are blanked too; conditions on anything
 * else are kept as they are. Also lists the {@code #error} guards that depend on Py_GIL_DISABLED.
 * A branch is dropped from a build's view only when no values of the other macros reach it there.
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

    /** Atoms past this many are not enumerated: every branch is then kept. */
    private static final int MAX_ATOMS = 12;

    /** A branch of an #if chain: the conditions of the branches before it, and its own (null for #else). */
    private record Frame(List<Condition> previous, Condition current, String text) {
        static Frame of(String expr) {
            return new Frame(List.of(), new Condition(expr), expr);
        }

        Frame next(String condition) {
            List<Condition> p = new ArrayList<>(previous);
            if (current != null) {
                p.add(current);
            }
            String t = "!(" + text + ")" + (condition == null ? "" : " && " + condition);
            return new Frame(List.copyOf(p), condition == null ? null : new Condition(condition), t);
        }

        /** The condition under which this branch is compiled, as text. */
        String condition() {
            return text;
        }

        Stream<Condition> all() {
            return current == null ? previous.stream() : Stream.concat(previous.stream(), Stream.of(current));
        }

        /** Whether Py_GIL_DISABLED alone decides the whole chain. */
        boolean known() {
            return all().allMatch(c -> c.atoms().stream().allMatch(Condition.FT::equals));
        }

        boolean involvesFt() {
            return all().anyMatch(c -> c.atoms().contains(Condition.FT));
        }

        boolean taken(Function<String, Boolean> atom) {
            for (Condition c : previous) {
                if (c.eval(atom)) {
                    return false;
                }
            }
            return current == null || current.eval(atom);
        }
    }

    public HeaderVariants(String code, String raw) {
        String[] lines = code.split("\n", -1);
        String[] rawLines = raw.split("\n", -1);
        StringBuilder f = new StringBuilder();
        StringBuilder g = new StringBuilder();
        List<Guard> found = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        boolean ftOn = true;
        boolean gilOn = true;
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
                        Frame f0 = Frame.of(expr);
                        stack.push(f0);
                        blankDirective = f0.known();
                    }
                    case "elif", "else" -> {
                        Frame top = stack.isEmpty() ? Frame.of("1") : stack.pop();
                        Frame f1 = top.next(kind.equals("else") ? null : cond);
                        stack.push(f1);
                        blankDirective = f1.known();
                    }
                    case "endif" -> {
                        Frame top = stack.isEmpty() ? null : stack.pop();
                        blankDirective = top != null && top.known();
                    }
                    case "error" -> {
                        if (stack.stream().anyMatch(fr -> fr.condition().contains(Condition.FT))) {
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
            if (m.matches()) {
                ftOn = reachable(stack, true);
                gilOn = reachable(stack, false);
            }
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

    /**
     * Whether some values of the other atoms reach the innermost branch of {@code stack} in the build: after
     * {@code #if defined(Py_GIL_DISABLED) && defined(X)} / {@code #elif defined(Py_GIL_DISABLED)}, a later
     * {@code #else} is unreachable with Py_GIL_DISABLED, whatever X is.
     */
    private static boolean reachable(Deque<Frame> stack, boolean ft) {
        if (stack.stream().noneMatch(Frame::involvesFt)) {
            return true; // conditions on other macros only: kept as written
        }
        Set<String> atoms = new LinkedHashSet<>();
        stack.forEach(f -> f.all().forEach(c -> atoms.addAll(c.atoms())));
        atoms.remove(Condition.FT);
        if (atoms.size() > MAX_ATOMS) {
            return true;
        }
        List<String> free = List.copyOf(atoms);
        for (long bits = 0; bits < (1L << free.size()); bits++) {
            final long b = bits;
            Function<String, Boolean> value = a -> a.equals(Condition.FT) ? ft
                    : ((b >> free.indexOf(a)) & 1) == 1;
            if (stack.stream().allMatch(f -> f.taken(value))) {
                return true;
            }
        }
        return false;
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
