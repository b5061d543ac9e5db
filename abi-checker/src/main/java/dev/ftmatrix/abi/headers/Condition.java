package dev.ftmatrix.abi.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates a preprocessor condition knowing only whether {@code Py_GIL_DISABLED} is defined: the answer is true,
 * false, or unknown (when it depends on anything else), in three-valued logic.
 */
final class Condition {
    /** A three-valued truth. */
    enum Tv {
        TRUE, FALSE, UNKNOWN;

        Tv and(Tv o) {
            return this == FALSE || o == FALSE ? FALSE : this == TRUE && o == TRUE ? TRUE : UNKNOWN;
        }

        Tv or(Tv o) {
            return this == TRUE || o == TRUE ? TRUE : this == FALSE && o == FALSE ? FALSE : UNKNOWN;
        }

        Tv not() {
            return this == TRUE ? FALSE : this == FALSE ? TRUE : UNKNOWN;
        }

        static Tv of(boolean b) {
            return b ? TRUE : FALSE;
        }
    }

    private static final Pattern TOKEN = Pattern.compile("\\s*(\\|\\||&&|!(?!=)|\\(|\\)|[^\\s()!&|]+|[!&|])");
    private static final String FT = "Py_GIL_DISABLED";

    private final List<String> tokens = new ArrayList<>();
    private final boolean ft;
    private int pos;

    private Condition(String expr, boolean ft) {
        Matcher m = TOKEN.matcher(expr);
        while (m.find()) {
            tokens.add(m.group(1));
        }
        this.ft = ft;
    }

    /** The value of an {@code #if} expression when Py_GIL_DISABLED is (ft) or is not defined. */
    static Tv eval(String expr, boolean ft) {
        Condition c = new Condition(expr, ft);
        Tv v = c.or();
        return c.pos == c.tokens.size() ? v : Tv.UNKNOWN;
    }

    /** Whether the expression mentions Py_GIL_DISABLED at all. */
    static boolean mentionsFt(String expr) {
        return expr.contains(FT);
    }

    private Tv or() {
        Tv v = and();
        while (peek("||")) {
            pos++;
            v = v.or(and());
        }
        return v;
    }

    private Tv and() {
        Tv v = unary();
        while (peek("&&")) {
            pos++;
            v = v.and(unary());
        }
        return v;
    }

    private Tv unary() {
        if (peek("!")) {
            pos++;
            return unary().not();
        }
        if (peek("(")) {
            pos++;
            Tv v = or();
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
            return name.equals(FT) ? Tv.of(ft) : Tv.UNKNOWN;
        }
        // any other operand: a comparison, arithmetic, a macro value; consume it up to the next && || or )
        boolean onlyFt = true;
        int start = pos;
        int depth = 0;
        while (pos < tokens.size()) {
            String t = tokens.get(pos);
            if (depth == 0 && (t.equals("&&") || t.equals("||") || t.equals(")"))) {
                break;
            }
            depth += t.equals("(") ? 1 : t.equals(")") ? -1 : 0;
            onlyFt &= t.equals(FT);
            pos++;
        }
        return pos - start == 1 && onlyFt ? Tv.of(ft) : Tv.UNKNOWN;
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }
}
