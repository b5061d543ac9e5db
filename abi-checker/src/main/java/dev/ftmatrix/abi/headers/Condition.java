package dev.ftmatrix.abi.headers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A preprocessor condition as boolean logic over atoms: {@code defined(X)} is the atom {@code X}, and any other
 * operand (a comparison, arithmetic, a macro's value) is one opaque atom named by its text. {@code Py_GIL_DISABLED},
 * defined or used as a value, is the atom {@link #FT}.
 */
final class Condition {
    static final String FT = "Py_GIL_DISABLED";
    private static final Pattern TOKEN = Pattern.compile("\\s*(\\|\\||&&|!(?!=)|\\(|\\)|[^\\s()!&|]+|[!&|])");

    private final List<String> tokens = new ArrayList<>();
    private final Set<String> atoms = new LinkedHashSet<>();
    private Function<String, Boolean> atom;
    private int pos;

    /** Parses {@code expr} once; {@link #eval(Function)} then evaluates it for any atom values. */
    Condition(String expr) {
        Matcher m = TOKEN.matcher(expr);
        while (m.find()) {
            tokens.add(m.group(1));
        }
        eval(a -> {
            atoms.add(a);
            return false;
        });
    }

    /** The atoms of the condition. */
    Set<String> atoms() {
        return atoms;
    }

    /** Its value when each atom has the value {@code values} gives it. */
    synchronized boolean eval(Function<String, Boolean> values) {
        this.atom = values;
        this.pos = 0;
        return or();
    }

    /** The value of an {@code #if} expression when each atom has the value {@code atom} gives it. */
    static boolean eval(String expr, Function<String, Boolean> atom) {
        return new Condition(expr).eval(atom);
    }

    /** The atoms of {@code expr}. */
    static Set<String> atoms(String expr) {
        return new Condition(expr).atoms();
    }

    // no short-circuit: every atom is visited, which atoms() relies on
    private boolean or() {
        boolean v = and();
        while (peek("||")) {
            pos++;
            v = and() | v;
        }
        return v;
    }

    private boolean and() {
        boolean v = unary();
        while (peek("&&")) {
            pos++;
            v = unary() & v;
        }
        return v;
    }

    private boolean unary() {
        if (peek("!")) {
            pos++;
            return !unary();
        }
        if (peek("(")) {
            pos++;
            boolean v = or();
            if (peek(")")) {
                pos++;
            }
            return v;
        }
        if (peek("defined")) {
            pos++;
            boolean paren = peek("(");
            if (paren) {
                pos++;
            }
            String name = pos < tokens.size() ? tokens.get(pos++) : "";
            if (paren && peek(")")) {
                pos++;
            }
            return atom.apply(name);
        }
        int start = pos;
        int depth = 0;
        while (pos < tokens.size()) {
            String t = tokens.get(pos);
            if (depth == 0 && (t.equals("&&") || t.equals("||") || t.equals(")"))) {
                break;
            }
            depth += t.equals("(") ? 1 : t.equals(")") ? -1 : 0;
            pos++;
        }
        String text = String.join(" ", tokens.subList(start, pos));
        if (text.equals("0") || text.equals("1")) {
            return text.equals("1");
        }
        return atom.apply(text);
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }
}
