package dev.ftmatrix.abi.source;

/**
 * Blanks comments (and, for code, string and character literals) with spaces, keeping every newline and so every
 * line and column, so that rules match only live code: a commented-out {@code PyDict_GetItem} is not a finding.
 */
final class Stripper {
    private Stripper() {
    }

    static String strip(String text, Lang lang) {
        return switch (lang) {
            case C -> cLike(text, false);
            case RUST -> cLike(text, true);
            case CYTHON -> hashComments(text, true);
            case BUILD -> hashComments(text, false);
        };
    }

    private static String cLike(String s, boolean rust) {
        char[] out = s.toCharArray();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int end = s.indexOf('\n', i);
                end = end < 0 ? n : end;
                // a C line comment continues past a backslash-newline
                while (!rust && end > 0 && end < n && s.charAt(end - 1) == '\\') {
                    int next = s.indexOf('\n', end + 1);
                    end = next < 0 ? n : next;
                }
                blank(out, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(out, i, end);
                i = end;
            } else if (c == '"') {
                int end = endOfQuoted(s, i, '"');
                blank(out, i + 1, end - 1);
                i = end;
            } else if (rust && c == 'r' && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '#')
                    && (i == 0 || !Character.isJavaIdentifierPart(s.charAt(i - 1)))) {
                int j = i + 1;
                while (j < n && s.charAt(j) == '#') {
                    j++;
                }
                if (j < n && s.charAt(j) == '"') {
                    String close = "\"" + "#".repeat(j - i - 1);
                    int end = s.indexOf(close, j + 1);
                    end = end < 0 ? n : end + close.length();
                    blank(out, j + 1, end - close.length());
                    i = end;
                } else {
                    i++;
                }
            } else if (c == '\'') {
                int end = charLiteralEnd(s, i, rust);
                if (end > 0) {
                    blank(out, i + 1, end - 1);
                    i = end;
                } else {
                    i++; // a Rust lifetime or label
                }
            } else {
                i++;
            }
        }
        return new String(out);
    }

    /** The index after a char literal opening at {@code i}, or -1 when it is not one (Rust lifetimes). */
    private static int charLiteralEnd(String s, int i, boolean rust) {
        if (!rust) {
            return endOfQuoted(s, i, '\'');
        }
        int n = s.length();
        if (i + 2 < n && s.charAt(i + 1) != '\\' && s.charAt(i + 2) == '\'') {
            return i + 3;
        }
        if (i + 1 < n && s.charAt(i + 1) == '\\') {
            int end = s.indexOf('\'', i + 2);
            return end < 0 || end - i > 12 ? -1 : end + 1;
        }
        return -1;
    }

    /** The index after the closing quote; a literal stops at an unescaped newline (an unterminated one). */
    private static int endOfQuoted(String s, int i, char q) {
        int n = s.length();
        int j = i + 1;
        while (j < n) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == q) {
                return j + 1;
            } else if (c == '\n') {
                return j;
            } else {
                j++;
            }
        }
        return n;
    }

    /** Python, Cython, TOML, cfg, meson and CMake: {@code #} comments; strings blanked only when {@code code}. */
    private static String hashComments(String s, boolean code) {
        char[] out = s.toCharArray();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '#') {
                int end = s.indexOf('\n', i);
                end = end < 0 ? n : end;
                blank(out, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                boolean triple = i + 2 < n && s.charAt(i + 1) == c && s.charAt(i + 2) == c;
                int end;
                if (triple) {
                    String close = String.valueOf(c).repeat(3);
                    end = s.indexOf(close, i + 3);
                    end = end < 0 ? n : end + 3;
                } else {
                    end = endOfQuoted(s, i, c);
                }
                if (code) {
                    int q = triple ? 3 : 1;
                    blank(out, Math.min(i + q, end), Math.max(i + q, end - q));
                }
                i = end;
            } else {
                i++;
            }
        }
        return new String(out);
    }

    private static void blank(char[] out, int from, int to) {
        for (int k = from; k < to && k < out.length; k++) {
            if (out[k] != '\n') {
                out[k] = ' ';
            }
        }
    }
}
