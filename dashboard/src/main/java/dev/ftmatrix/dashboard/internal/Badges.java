package dev.ftmatrix.dashboard.internal;

import dev.ftmatrix.core.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;

/** Badges per (project, variant): shields.io endpoint JSON and a ready-made flat SVG. */
public final class Badges {
    private Badges() {
    }

    /** The shields.io endpoint document (https://shields.io/badges/endpoint-badge). */
    public static Map<String, Object> endpoint(String variant, Verdict verdict) {
        return endpoint(variant, Style.word(verdict), Style.badgeColour(verdict));
    }

    /** The shields.io endpoint document of any label, message and colour (hex without '#'). */
    public static Map<String, Object> endpoint(String label, String message, String colour) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 1);
        m.put("label", label);
        m.put("message", message);
        m.put("color", colour);
        return m;
    }

    /** A flat badge: grey label, verdict message on the verdict's colour, white text (contrast at least 4.5:1). */
    public static String svg(String variant, Verdict verdict) {
        return svg(variant, Style.word(verdict), Style.badgeColour(verdict));
    }

    /** A flat badge of any label, message and colour (hex without '#', dark enough for white text). */
    public static String svg(String label, String message, String colour) {
        int lw = width(label), mw = width(message), w = lw + mw;
        String text = label + ": " + message;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"20\" role=\"img\" aria-label=\""
                + Xml.esc(text) + "\"><title>" + Xml.esc(text) + "</title>"
                + "<rect width=\"" + lw + "\" height=\"20\" fill=\"#555\"/>"
                + "<rect x=\"" + lw + "\" width=\"" + mw + "\" height=\"20\" fill=\"#" + colour + "\"/>"
                + "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">"
                + "<text x=\"" + lw / 2 + "\" y=\"14\">" + Xml.esc(label) + "</text>"
                + "<text x=\"" + (lw + mw / 2) + "\" y=\"14\">" + Xml.esc(message) + "</text></g></svg>\n";
    }

    /** Verdana at 11px averages about 7px per character; 10px padding each side. */
    private static int width(String s) {
        return s.length() * 7 + 20;
    }
}
