package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.support.PipRequirements;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts about one PEP 508 requirement string: its normalised name, extras, marker. */
final class Requirements {
    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:[\\[(<>=!~;@ ]|$)");
    private static final Pattern EXTRAS = Pattern.compile("^[^\\[;@]*\\[([^\\]]*)\\]");
    private static final Pattern EGG = Pattern.compile("#egg=([A-Za-z0-9._-]+)");

    private Requirements() {
    }

    /** PEP 503: lower case, runs of {@code -_.} as one {@code -}. */
    static String normalize(String name) {
        return PipRequirements.normalized(name);
    }

    /** The normalised name, or null when the string is not a named requirement (a path, an option, a bare URL). */
    static String name(String req) {
        if (isUrl(req)) {
            Matcher egg = EGG.matcher(req);
            return egg.find() ? normalize(egg.group(1)) : null;
        }
        Matcher m = NAME.matcher(req);
        return m.find() && !req.strip().startsWith(".") ? normalize(m.group(1)) : null;
    }

    /** A path on this machine: {@code .}, {@code ./sub}, {@code ../x}, {@code /abs}, {@code file:...}. */
    static boolean isLocal(String req) {
        String r = req.strip();
        return r.startsWith(".") || r.startsWith("/") || r.startsWith("~") || r.startsWith("file:");
    }

    /** The project's own directory, as in {@code .}, {@code ./}, {@code .[test]} or {@code file:.#egg=x}. */
    static boolean isProjectRoot(String req) {
        return req.strip().matches("(file:)?\\.(/)?(\\[[^\\]]*\\])?(#.*)?(\\s*;.*)?");
    }

    /** A bare URL ({@code git+https://...}), not a {@code name @ url}. */
    static boolean isUrl(String req) {
        return req.strip().matches("(?i)[a-z+]+://.*");
    }

    /** The extras in brackets, as written ({@code "test, docs"}), or an empty string. */
    static String extras(String req) {
        Matcher m = EXTRAS.matcher(req.strip());
        return m.find() ? m.group(1) : "";
    }

    /** The environment marker without spaces and with one kind of quote, or an empty string. */
    static String marker(String req) {
        int semi = req.indexOf(';');
        return semi < 0 ? "" : req.substring(semi + 1).replaceAll("\\s+", "").replace('\'', '"');
    }

    /** The requirement with {@code marker} and-ed to the marker it has. */
    static String withMarker(String req, String marker) {
        if (marker == null || marker.isEmpty()) {
            return req;
        }
        int semi = req.indexOf(';');
        return semi < 0 ? req.strip() + "; " + marker
                : req.substring(0, semi).strip() + "; (" + req.substring(semi + 1).strip() + ") and (" + marker + ")";
    }
}
