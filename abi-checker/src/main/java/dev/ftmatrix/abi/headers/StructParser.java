package dev.ftmatrix.abi.headers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the struct and union definitions in preprocessed C ({@code gcc -E} output with line markers) that come from
 * one include directory, with their public names (typedefs) and the fields {@code offsetof} can measure: anonymous
 * members are flattened, bit-fields left out.
 */
public final class StructParser {
    private static final Pattern MARKER = Pattern.compile("^#\\s*(\\d+)\\s+\"([^\"]*)\".*$");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_]\\w*|\\d[\\w.]*|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|->|\\S");
    private static final Set<String> SKIP_CALLS = Set.of("__attribute__", "_Alignas", "__declspec", "__asm__", "__asm",
            "_Static_assert", "__pragma");

    /** A struct found: its name as code spells it ({@code PyObject} or {@code struct _foo}), where, and its fields. */
    public record Struct(String name, String file, int line, List<String> fields) {
        public Struct {
            fields = List.copyOf(fields);
        }
    }

    private record Tok(String text, String file, int line) {
    }

    private final List<Tok> toks = new ArrayList<>();

    private StructParser(String preprocessed) {
        String file = "";
        int line = 0;
        for (String l : preprocessed.split("\n", -1)) {
            Matcher m = MARKER.matcher(l);
            if (m.matches()) {
                line = Integer.parseInt(m.group(1));
                file = m.group(2);
                continue;
            }
            Matcher t = TOKEN.matcher(l);
            while (t.find()) {
                toks.add(new Tok(t.group(), file, line));
            }
            line++;
        }
    }

    /** The structs defined under {@code includeDir}, named by their typedef when they have one. */
    public static List<Struct> parse(String preprocessed, String includeDir) {
        return new StructParser(preprocessed).structs(includeDir.endsWith("/") ? includeDir : includeDir + "/");
    }

    private List<Struct> structs(String dir) {
        Map<String, Struct> byTag = new LinkedHashMap<>();
        Map<String, String> typedefOf = new LinkedHashMap<>();
        List<Struct> anonymousTypedefs = new ArrayList<>();
        int i = 0;
        int statementStart = 0;
        while (i < toks.size()) {
            String t = toks.get(i).text();
            if (t.equals(";")) {
                statementStart = i + 1;
                i++;
            } else if (t.equals("{")) {
                // a function body or an initializer at file scope: skip it whole; a body ends its statement
                i = close(i) + 1;
                statementStart = i;
            } else if ((t.equals("struct") || t.equals("union")) && i + 1 < toks.size()) {
                boolean typedef = toks.get(statementStart).text().equals("typedef");
                String tag = isIdent(toks.get(i + 1).text()) ? toks.get(i + 1).text() : null;
                int open = tag != null ? i + 2 : i + 1;
                String kind = t;
                if (open < toks.size() && toks.get(open).text().equals("{")) {
                    int end = close(open);
                    Tok where = toks.get(i);
                    List<String> fields = fields(open + 1, end);
                    String alias = typedef && end + 1 < toks.size() && isIdent(toks.get(end + 1).text())
                            ? toks.get(end + 1).text() : null;
                    if (where.file().startsWith(dir)) {
                        String rel = where.file().substring(dir.length());
                        if (tag != null) {
                            byTag.put(tag, new Struct(kind + " " + tag, rel, where.line(), fields));
                            if (alias != null) {
                                typedefOf.putIfAbsent(tag, alias);
                            }
                        } else if (alias != null) {
                            anonymousTypedefs.add(new Struct(alias, rel, where.line(), fields));
                        }
                    }
                    i = end + 1;
                } else {
                    // typedef struct _tag Name;
                    if (typedef && tag != null && i + 2 < toks.size() && isIdent(toks.get(i + 2).text())
                            && i + 3 < toks.size() && toks.get(i + 3).text().equals(";")) {
                        typedefOf.putIfAbsent(tag, toks.get(i + 2).text());
                    }
                    i += tag != null ? 2 : 1;
                }
            } else {
                i++;
            }
        }
        List<Struct> out = new ArrayList<>();
        for (var e : byTag.entrySet()) {
            Struct s = e.getValue();
            String alias = typedefOf.get(e.getKey());
            out.add(alias == null ? s : new Struct(alias, s.file(), s.line(), s.fields()));
        }
        out.addAll(anonymousTypedefs);
        return out.stream().filter(s -> !s.fields().isEmpty()).toList();
    }

    /** The member names declared between tokens {@code from} and {@code to} (exclusive). */
    private List<String> fields(int from, int to) {
        List<String> out = new ArrayList<>();
        int start = from;
        int i = from;
        while (i < to) {
            String t = toks.get(i).text();
            if (t.equals("{")) {
                i = close(i) + 1;
            } else if (t.equals(";")) {
                declaration(start, i, out);
                start = i + 1;
                i++;
            } else {
                i++;
            }
        }
        return out;
    }

    private void declaration(int from, int to, List<String> out) {
        List<String> d = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String t = toks.get(i).text();
            if (SKIP_CALLS.contains(t) && i + 1 < to && toks.get(i + 1).text().equals("(")) {
                i = close(i + 1);
            } else if (!t.equals("__extension__")) {
                d.add(t);
            }
        }
        if (d.isEmpty()) {
            return;
        }
        int brace = d.indexOf("{");
        if (brace >= 0 && (d.getFirst().equals("struct") || d.getFirst().equals("union"))) {
            int absoluteOpen = indexOfToken(from, to, "{");
            int absoluteClose = close(absoluteOpen);
            List<String> inner = fields(absoluteOpen + 1, absoluteClose);
            List<String> after = new ArrayList<>();
            for (int i = absoluteClose + 1; i < to; i++) {
                after.add(toks.get(i).text());
            }
            List<String> names = declarators(after, true);
            if (names.isEmpty()) {
                out.addAll(inner); // an anonymous struct or union: its members belong to the outer one
            } else {
                out.addAll(names);
            }
            return;
        }
        out.addAll(declarators(d, false));
    }

    /**
     * The names declared by {@code type a, *b, c[4], (*f)(int)}; bit-fields and nameless ones are left out. With
     * {@code bare}, the type was already consumed ({@code struct {...} name}), so a lone identifier is a name.
     */
    private static List<String> declarators(List<String> d, boolean bare) {
        List<String> out = new ArrayList<>();
        List<List<String>> parts = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        int depth = 0;
        for (String t : d) {
            if (t.equals("(") || t.equals("[")) {
                depth++;
            } else if (t.equals(")") || t.equals("]")) {
                depth--;
            }
            if (t.equals(",") && depth == 0) {
                parts.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        parts.add(cur);
        for (List<String> p : parts) {
            if (p.contains(":")) {
                continue; // a bit-field: offsetof cannot take it
            }
            int fp = p.indexOf("(");
            if (fp >= 0 && fp + 2 < p.size() && p.get(fp + 1).equals("*") && isIdent(p.get(fp + 2))) {
                out.add(p.get(fp + 2)); // a function pointer: ret (*name)(args)
                continue;
            }
            int cut = p.indexOf("[");
            List<String> head = cut >= 0 ? p.subList(0, cut) : p;
            for (int k = head.size() - 1; k >= 0; k--) {
                if (isIdent(head.get(k))) {
                    if (k > 0 || parts.size() > 1 || bare) {
                        out.add(head.get(k));
                    }
                    break;
                }
            }
        }
        return out;
    }

    private int indexOfToken(int from, int to, String s) {
        for (int i = from; i < to; i++) {
            if (toks.get(i).text().equals(s)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the token closing the {@code open} token at {@code at} ("{" and "}", or "(" and ")"). */
    private int close(int at) {
        String open = toks.get(at).text();
        String close = open.equals("(") ? ")" : "}";
        int depth = 0;
        for (int i = at; i < toks.size(); i++) {
            String t = toks.get(i).text();
            if (t.equals(open)) {
                depth++;
            } else if (t.equals(close) && --depth == 0) {
                return i;
            }
        }
        return toks.size() - 1;
    }

    private static final Set<String> KEYWORDS = Set.of("struct", "union", "enum", "const", "volatile", "unsigned",
            "signed", "int", "char", "long", "short", "void", "float", "double", "typedef", "static", "inline", "_Bool",
            "restrict", "__restrict", "extern");

    private static boolean isIdent(String t) {
        return !t.isEmpty() && (Character.isLetter(t.charAt(0)) || t.charAt(0) == '_') && !KEYWORDS.contains(t);
    }
}
