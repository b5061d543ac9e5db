package dev.ftmatrix.dashboard.internal;

/** Escaping for text written into XML and HTML by hand (SVG, Atom, JUnit). */
public final class Xml {
    private Xml() {
    }

    /** Escapes text for element content and attribute values; drops characters XML 1.0 cannot hold. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                            || c >= 0x10000) {
                        b.appendCodePoint(c);
                    } else {
                        b.append("\uFFFD");
                    }
                }
            }
        });
        return b.toString();
    }
}
