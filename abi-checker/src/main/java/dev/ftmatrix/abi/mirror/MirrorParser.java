package dev.ftmatrix.abi.mirror;

import dev.ftmatrix.abi.headers.HeaderVariants;
import dev.ftmatrix.abi.source.SourceFile;
import dev.ftmatrix.support.TextLines;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds struct definitions a project writes itself, as the free-threaded or the GIL build compiles them: C/C++
 * {@code struct}s (with {@code #ifdef Py_GIL_DISABLED} resolved), Rust {@code #[repr(C)]} structs and unions (with
 * {@code #[cfg(Py_GIL_DISABLED)]} and {@code Py_3_N} resolved), ctypes {@code _fields_}, Cython {@code ctypedef struct}.
 */
final class MirrorParser {
    private static final Pattern C_STRUCT = Pattern.compile(
            "(typedef\\s+)?\\b(struct|union)\\s+(\\w+)?\\s*\\{");
    private static final Pattern C_FIELD = Pattern.compile(
            "^\\s*((?:(?:const|volatile|struct|union|unsigned|signed|long|short)\\s+)*[A-Za-z_][\\w:]*(?:\\s*<[^>]*>)?"
                    + "(?:\\s+(?:long|int|char|short|double))*)\\s*(\\**)\\s*(\\w+)\\s*(?:\\[\\s*(\\d+)\\s*\\])?\\s*$");
    private static final Pattern C_FNPTR = Pattern.compile("\\(\\s*\\*\\s*(\\w+)\\s*\\)\\s*\\(");
    private static final Pattern RUST_STRUCT = Pattern.compile(
            "#\\s*\\[\\s*repr\\s*\\(\\s*C\\s*\\)\\s*\\]((?:\\s*#\\s*\\[[^\\]]*\\])*)\\s*(?:pub(?:\\s*\\([^)]*\\))?\\s+)?(struct|union)\\s+(\\w+)\\s*\\{");
    private static final Pattern RUST_FIELD = Pattern.compile(
            "((?:#\\s*\\[[^\\]]*\\]\\s*)*)(?:pub(?:\\s*\\([^)]*\\))?\\s+)?(\\w+)\\s*:\\s*(.+)", Pattern.DOTALL);
    private static final Pattern CTYPES_CLASS = Pattern.compile(
            "^class\\s+(\\w+)\\s*\\(\\s*(?:ctypes\\s*\\.\\s*)?(Structure|Union)\\s*\\)\\s*:", Pattern.MULTILINE);
    private static final Pattern CTYPES_FIELDS = Pattern.compile("_fields_\\s*=\\s*\\[");
    private static final Pattern CTYPES_ENTRY = Pattern.compile("\\(\\s*[\"'](\\w+)[\"']\\s*,\\s*([^()]+(?:\\([^()]*\\))?[^(),]*)\\)");
    private static final Pattern CYTHON_STRUCT = Pattern.compile(
            "^([ \\t]*)(?:ctypedef|cdef)\\s+(?:packed\\s+)?(struct|union)\\s+(\\w+)\\s*:[ \\t]*$", Pattern.MULTILINE);

    private MirrorParser() {
    }

    /** The structs of {@code f} as the build ({@code ft} or not) of CPython 3.{@code minor} sees them. */
    static List<Mirror> parse(SourceFile f, boolean ft, int minor) {
        return switch (f.lang()) {
            case C -> c(f, ft);
            case RUST -> rust(f, ft, minor);
            case CYTHON -> f.name().endsWith(".pxd") ? cython(f) : List.of();
            case BUILD -> List.of();
        };
    }

    /** ctypes mirrors live in ordinary .py files, which the scan reads only for this. */
    static List<Mirror> python(String path, String text) {
        List<Mirror> out = new ArrayList<>();
        Matcher c = CTYPES_CLASS.matcher(text);
        while (c.find()) {
            int next = text.indexOf("\nclass ", c.end());
            String body = text.substring(c.end(), next < 0 ? text.length() : next);
            Matcher fl = CTYPES_FIELDS.matcher(body);
            if (!fl.find()) {
                continue;
            }
            int open = c.end() + fl.end() - 1;
            int close = SourceFile.closing(text, open, '[', ']');
            List<Mirror.Field> fields = new ArrayList<>();
            Matcher e = CTYPES_ENTRY.matcher(text.substring(open, close < 0 ? text.length() : close));
            while (e.find()) {
                String type = e.group(2).strip();
                long count = 1;
                Matcher arr = Pattern.compile("^(.+?)\\s*\\*\\s*(\\d+)$").matcher(type);
                if (arr.matches()) {
                    type = arr.group(1);
                    count = Long.parseLong(arr.group(2));
                }
                fields.add(new Mirror.Field(e.group(1), type, count, lineOf(text, open + e.start())));
            }
            out.add(new Mirror(c.group(1), path, lineOf(text, c.start()), c.group(2).equals("Union"), fields));
        }
        return out;
    }

    private static List<Mirror> c(SourceFile f, boolean ft) {
        if (!f.code().contains("struct") && !f.code().contains("union")) {
            return List.of();
        }
        HeaderVariants v = new HeaderVariants(f.code(), f.text());
        String code = ft ? v.ft() : v.gil();
        List<Mirror> out = new ArrayList<>();
        Matcher m = C_STRUCT.matcher(code);
        while (m.find()) {
            int open = m.end() - 1;
            int close = SourceFile.closing(code, open, '{', '}');
            if (close < 0) {
                break;
            }
            String name = m.group(3);
            if (m.group(1) != null) {
                Matcher alias = Pattern.compile("\\G\\s*(\\w+)\\s*;").matcher(code).region(close + 1, code.length());
                if (alias.lookingAt()) {
                    name = alias.group(1);
                }
            }
            List<Mirror.Field> fields = cFields(code, open + 1, close, f);
            if (name != null && fields != null) {
                out.add(new Mirror(name, f.path(), lineOf(code, m.start()), m.group(2).equals("union"), fields));
            }
        }
        return out;
    }

    /** The fields between {@code from} and {@code to}, or null when a declaration is beyond this simple reading. */
    private static List<Mirror.Field> cFields(String code, int from, int to, SourceFile f) {
        List<Mirror.Field> out = new ArrayList<>();
        int start = from;
        for (int i = from; i <= to; i++) {
            char ch = i < to ? code.charAt(i) : ';';
            if (ch == '{') {
                return null; // a nested struct or union
            }
            if (ch != ';') {
                continue;
            }
            String decl = code.substring(start, Math.min(i, to)).replace('\n', ' ').strip();
            int at = start + (code.substring(start, Math.min(i, to)).length()
                    - code.substring(start, Math.min(i, to)).stripLeading().length());
            start = i + 1;
            if (decl.isEmpty()) {
                continue;
            }
            Matcher fp = C_FNPTR.matcher(decl);
            if (fp.find()) {
                out.add(new Mirror.Field(fp.group(1), "void *", 1, lineOf(code, at)));
                continue;
            }
            if (decl.contains(":") || decl.contains(",")) {
                return null; // bit-fields and multiple declarators are left to the compiler
            }
            Matcher m = C_FIELD.matcher(decl);
            if (!m.matches()) {
                return null;
            }
            String type = m.group(1).strip() + (m.group(2).isEmpty() ? "" : " " + m.group(2));
            long count = m.group(4) == null ? 1 : Long.parseLong(m.group(4));
            out.add(new Mirror.Field(m.group(3), type, count, lineOf(code, at)));
        }
        return out;
    }

    private static List<Mirror> rust(SourceFile f, boolean ft, int minor) {
        List<Mirror> out = new ArrayList<>();
        String code = f.code();
        Matcher m = RUST_STRUCT.matcher(code);
        while (m.find()) {
            if (!RustCfg.all(m.group(1), ft, minor)) {
                continue;
            }
            int open = m.end() - 1;
            int close = SourceFile.closing(code, open, '{', '}');
            if (close < 0) {
                break;
            }
            List<Mirror.Field> fields = new ArrayList<>();
            for (int[] piece : topLevelCommaSplit(code, open + 1, close)) {
                Matcher fm = RUST_FIELD.matcher(code.substring(piece[0], piece[1]).strip());
                if (!fm.matches() || !RustCfg.all(fm.group(1), ft, minor)) {
                    continue;
                }
                String type = fm.group(3).strip();
                long count = 1;
                Matcher arr = Pattern.compile("^\\[\\s*(.+?)\\s*;\\s*(\\d+)\\s*\\]$").matcher(type);
                if (arr.matches()) {
                    type = arr.group(1);
                    count = Long.parseLong(arr.group(2));
                }
                int at = code.indexOf(fm.group(2), piece[0] + (fm.group(1) == null ? 0 : fm.group(1).length()));
                fields.add(new Mirror.Field(fm.group(2), type, count, f.line(Math.max(at, piece[0]))));
            }
            out.add(new Mirror(m.group(3), f.path(), f.line(m.start(3)), m.group(2).equals("union"), fields));
        }
        return out;
    }

    private static List<Mirror> cython(SourceFile f) {
        List<Mirror> out = new ArrayList<>();
        String text = f.code();
        Matcher m = CYTHON_STRUCT.matcher(text);
        while (m.find()) {
            int indent = m.group(1).length();
            if (indent > 0) {
                continue; // inside "cdef extern from": a declaration of the real struct, not a copy
            }
            List<Mirror.Field> fields = new ArrayList<>();
            int pos = m.end() + 1;
            while (pos < text.length()) {
                int eol = text.indexOf('\n', pos);
                String line = text.substring(pos, eol < 0 ? text.length() : eol);
                int lead = line.length() - line.stripLeading().length();
                if (!line.isBlank() && lead <= indent) {
                    break;
                }
                Matcher fm = C_FIELD.matcher(line);
                if (fm.matches()) {
                    String type = fm.group(1).strip() + (fm.group(2).isEmpty() ? "" : " " + fm.group(2));
                    fields.add(new Mirror.Field(fm.group(3), type, fm.group(4) == null ? 1 : Long.parseLong(fm.group(4)),
                            f.line(pos)));
                }
                pos = eol < 0 ? text.length() : eol + 1;
            }
            out.add(new Mirror(m.group(3), f.path(), f.line(m.start(3)), m.group(2).equals("union"), fields));
        }
        return out;
    }

    /** [start, end) of each comma-separated piece of {@code s[from, to)}, not splitting inside <>, (), []. */
    static List<int[]> topLevelCommaSplit(String s, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '(' || c == '[') {
                depth++;
            } else if ((c == '>' && s.charAt(i - 1) != '-') || c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (!s.substring(start, to).isBlank()) {
            out.add(new int[] {start, to});
        }
        return out;
    }

    /**
     * The line of {@code offset} in {@code s}: a build's view of a C file (branches blanked, so its lines are the
     * file's but its offsets are not), or a Python source.
     */
    private static int lineOf(String s, int offset) {
        return TextLines.lineAt(s, offset);
    }
}
