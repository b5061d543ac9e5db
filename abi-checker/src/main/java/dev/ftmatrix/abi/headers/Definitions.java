package dev.ftmatrix.abi.headers;

import dev.ftmatrix.abi.source.SourceFile;
import dev.ftmatrix.support.TextLines;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The named definitions in one (comment-stripped) header text: macros, static inline functions, PyAPI declarations. */
final class Definitions {
    private static final Pattern MACRO = Pattern.compile("^[ \\t]*#[ \\t]*define[ \\t]+(\\w+)", Pattern.MULTILINE);
    private static final Pattern INLINE = Pattern.compile(
            "\\bstatic\\s+inline\\b[^;{}()]*?\\b(\\w+)\\s*\\([^;{}]*?\\)\\s*\\{");
    private static final Pattern API = Pattern.compile("\\bPyAPI_(?:FUNC|DATA)\\s*\\([^;]*?\\)\\s*\\(?\\s*\\*?\\s*(\\w+)[^;]*;");

    /** One definition: its kind, 1-based line and its text with whitespace collapsed. */
    record Def(String kind, int line, String text) {
    }

    private Definitions() {
    }

    static Map<String, Def> of(String code) {
        Map<String, Def> out = new LinkedHashMap<>();
        Matcher m = MACRO.matcher(code);
        while (m.find()) {
            int end = m.end();
            while (true) {
                int nl = code.indexOf('\n', end);
                if (nl < 0) {
                    end = code.length();
                    break;
                }
                if (code.substring(m.start(), nl).stripTrailing().endsWith("\\")) {
                    end = nl + 1;
                } else {
                    end = nl;
                    break;
                }
            }
            add(out, m.group(1), "macro", line(code, m.start()), code.substring(m.start(), end).replace("\\\n", " "));
        }
        Matcher f = INLINE.matcher(code);
        while (f.find()) {
            int close = SourceFile.closing(code, f.end() - 1, '{', '}');
            add(out, f.group(1), "inline", line(code, f.start(1)), code.substring(f.start(), close < 0 ? f.end() : close + 1));
        }
        Matcher a = API.matcher(code);
        while (a.find()) {
            add(out, a.group(1), "declaration", line(code, a.start(1)), a.group());
        }
        return out;
    }

    /** Keyed by {@code kind:name}: Py_INCREF is both a macro and the inline function it calls. */
    private static void add(Map<String, Def> out, String name, String kind, int line, String text) {
        String t = text.replaceAll("\\s+", " ").strip();
        out.merge(kind + ":" + name, new Def(kind, line, t), (x, y) -> new Def(x.kind(), x.line(), x.text() + " | " + y.text()));
    }

    private static int line(String s, int offset) {
        return TextLines.lineAt(s, offset);
    }
}
