package dev.ftmatrix.support;

/** Offsets in a text as the 1-based lines people cite ({@code file:line}). */
public final class TextLines {
    private TextLines() {
    }

    /** The 1-based line holding character {@code offset} of {@code text} (the last line past its end). */
    public static int lineAt(String text, int offset) {
        int line = 1;
        // String.indexOf is vectorised: several times faster than looking at each char
        for (int i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
            line++;
        }
        return line;
    }
}
