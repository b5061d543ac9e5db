package dev.ftmatrix.abi.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One file to check: its path relative to the scan root (with {@code /}), its kind, its text and the same text with
 * comments (and, for code, literals) blanked; offsets map to 1-based line and column.
 */
public final class SourceFile {
    private final String path;
    private final Lang lang;
    private final String text;
    private final String code;
    private final int[] lineStarts;

    public SourceFile(String path, Lang lang, String text) {
        this.path = path;
        this.lang = lang;
        this.text = text;
        this.code = Stripper.strip(text, lang);
        this.lineStarts = lineStarts(text);
    }

    public String path() {
        return path;
    }

    public Lang lang() {
        return lang;
    }

    /** The text as written. */
    public String text() {
        return text;
    }

    /** The text with comments blanked (and literals too for code): what rules match. */
    public String code() {
        return code;
    }

    /** The file's name without directories. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The 1-based line holding {@code offset}. */
    public int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    /** The 1-based column of {@code offset}. */
    public int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    /** The offset where 1-based {@code line} starts. */
    public int lineStart(int line) {
        return lineStarts[line - 1];
    }

    public int lineCount() {
        return lineStarts.length;
    }

    /** The index of the {@code close} matching the {@code open} bracket at {@code at}, or -1 when it has none. */
    public static int closing(String s, int at, char open, char close) {
        int depth = 0;
        for (int i = at; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code s[i]} can be part of a C identifier. */
    public static boolean identChar(String s, int i) {
        if (i < 0 || i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return c == '_' || c == '$' || Character.isLetterOrDigit(c);
    }

    /**
     * The start offsets of whole identifiers in {@code code} that begin with {@code prefix}, found with
     * {@link String#indexOf}: many times faster than a regex that starts with {@code \b}.
     */
    public static List<int[]> identifiers(String code, String prefix) {
        List<int[]> out = new ArrayList<>();
        int i = code.indexOf(prefix);
        while (i >= 0) {
            int end = i + prefix.length();
            while (identChar(code, end)) {
                end++;
            }
            if (!identChar(code, i - 1)) {
                out.add(new int[] {i, end});
            }
            i = code.indexOf(prefix, end);
        }
        return out;
    }

    private static int[] lineStarts(String s) {
        // String.indexOf is vectorised: several times faster than looking at each char, and this runs on every file
        int[] starts = new int[Math.max(16, s.length() / 32)];
        int count = 1;
        for (int i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = i + 1;
        }
        return Arrays.copyOf(starts, count);
    }
}
