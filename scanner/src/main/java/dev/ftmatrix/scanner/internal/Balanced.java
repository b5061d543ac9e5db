package dev.ftmatrix.scanner.internal;

/** Reads a call's argument text up to its matching parenthesis, skipping quoted strings. */
final class Balanced {
    private Balanced() {
    }

    /** The text between {@code text[open]} (a {@code '('}) and its matching {@code ')'}; to the end if unclosed. */
    static String args(String text, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return text.substring(open + 1, i);
            }
        }
        return text.substring(Math.min(open + 1, text.length()));
    }
}
