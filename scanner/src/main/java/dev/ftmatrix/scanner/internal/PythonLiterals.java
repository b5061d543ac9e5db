package dev.ftmatrix.scanner.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python literals read from source text without running it: strings, lists, tuples, dicts (also {@code dict(k=v)}),
 * names and {@code +} between them. Anything else (calls, comprehensions, numbers) reads as {@link #UNKNOWN}, so a
 * caller takes only what the text states.
 */
final class PythonLiterals {
    /** What the parser could not read as a literal. */
    static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "<unknown>";
        }
    };

    /** A bare name, resolved by the caller against the module's assignments. */
    record Name(String id) {
    }

    /** {@code a + b + ...}. */
    record Sum(List<Object> terms) {
        Sum {
            terms = List.copyOf(terms);
        }
    }

    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern STRING_START = Pattern.compile("(?i)(?:[rub]|br|rb)?('''|\"\"\"|'|\")");
    private final String src;
    private int pos;

    private PythonLiterals(String src, int pos) {
        this.src = src;
        this.pos = pos;
    }

    /** The expression that starts at {@code offset}: a String, List, LinkedHashMap, {@link Name}, {@link Sum} or unknown. */
    static Object parseAt(String src, int offset) {
        return new PythonLiterals(src, offset).expression();
    }

    private Object expression() {
        List<Object> terms = new ArrayList<>();
        terms.add(term());
        while (peek() == '+' && !src.startsWith("+=", pos)) {
            pos++;
            terms.add(term());
        }
        return terms.size() == 1 ? terms.getFirst() : new Sum(terms);
    }

    private Object term() {
        char c = peek();
        Matcher s = STRING_START.matcher(src).region(pos, src.length());
        if (s.lookingAt()) {
            StringBuilder sb = new StringBuilder();
            while (s.lookingAt()) { // adjacent literals concatenate
                pos = s.end();
                sb.append(string(s.group(1)));
                skipSpace();
                s = STRING_START.matcher(src).region(pos, src.length());
            }
            return sb.toString();
        }
        if (c == '[' || c == '(') {
            pos++;
            return sequence(c == '[' ? ']' : ')');
        }
        if (c == '{') {
            pos++;
            return dict('}', ':');
        }
        Matcher m = IDENT.matcher(src).region(pos, src.length());
        if (m.lookingAt()) {
            pos = m.end();
            if (peek() == '(') {
                pos++;
                return m.group().equals("dict") ? dict(')', '=') : skipTo(')');
            }
            if (peek() == '[' || peek() == '.') {
                return skipExpression(); // subscripts and attributes are computed
            }
            return new Name(m.group());
        }
        return skipExpression();
    }

    private Object sequence(char close) {
        List<Object> out = new ArrayList<>();
        while (!closes(close)) {
            if (pos >= src.length()) {
                return UNKNOWN;
            }
            out.add(expression());
            if (!itemEnds(close)) {
                return skipTo(close); // a comprehension or some other construct
            }
        }
        return out;
    }

    /** {@code {"k": v}} (separator {@code :}) or {@code dict(k=v)} (separator {@code =}); {@code **x} is unknown. */
    private Object dict(char close, char separator) {
        Map<String, Object> out = new LinkedHashMap<>();
        while (!closes(close)) {
            if (pos >= src.length()) {
                return UNKNOWN;
            }
            Object key;
            if (separator == '=') {
                Matcher m = IDENT.matcher(src).region(pos, src.length());
                if (!m.lookingAt()) {
                    return skipTo(close);
                }
                pos = m.end();
                key = m.group();
            } else {
                key = expression();
            }
            if (peek() != separator) {
                return skipTo(close);
            }
            pos++;
            Object value = expression();
            if (key instanceof String k) {
                out.put(k, value);
            }
            if (!itemEnds(close)) {
                return skipTo(close);
            }
        }
        return out;
    }

    /** Before an item: at the closing bracket, which is consumed. */
    private boolean closes(char close) {
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After an item: past its comma, or at the closing bracket; false for anything else. */
    private boolean itemEnds(char close) {
        if (peek() == ',') {
            pos++;
            return true;
        }
        return peek() == close;
    }

    private String string(String quote) {
        StringBuilder sb = new StringBuilder();
        while (pos < src.length() && !src.startsWith(quote, pos)) {
            char c = src.charAt(pos++);
            if (c == '\\' && pos < src.length()) {
                c = src.charAt(pos++);
            }
            sb.append(c);
        }
        pos = Math.min(src.length(), pos + quote.length());
        return sb.toString();
    }

    /** Skips to just past the matching {@code close}, over nested brackets and strings. */
    private Object skipTo(char close) {
        int depth = 0;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\'' || c == '"') {
                skipString();
                continue;
            }
            pos++;
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return UNKNOWN;
                }
                depth--;
            }
        }
        return UNKNOWN;
    }

    /** Skips an expression the parser does not read, up to a {@code ,} {@code :} or closing bracket at depth 0. */
    private Object skipExpression() {
        int depth = 0;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\'' || c == '"') {
                skipString();
                continue;
            }
            if (depth == 0 && (c == ',' || c == ':' || c == ')' || c == ']' || c == '}' || c == '\n')) {
                return UNKNOWN;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            pos++;
        }
        return UNKNOWN;
    }

    private void skipString() {
        Matcher s = STRING_START.matcher(src).region(pos, src.length());
        if (s.lookingAt()) {
            pos = s.end();
            string(s.group(1));
        } else {
            pos++;
        }
    }

    /** The next significant character (after spaces, newlines and comments), not consumed. */
    private char peek() {
        skipSpace();
        return pos < src.length() ? src.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                pos += 2;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                return;
            }
        }
    }
}
