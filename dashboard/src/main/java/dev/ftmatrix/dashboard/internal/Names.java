package dev.ftmatrix.dashboard.internal;

/** File names for projects: a project name made safe for a path segment and a URL. */
public final class Names {
    private Names() {
    }

    /** {@code numpy} stays {@code numpy}; anything outside {@code [A-Za-z0-9._-]} becomes '_', no leading dot. */
    public static String slug(String project) {
        String s = project.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.isEmpty() || s.startsWith(".")) {
            s = "_" + s;
        }
        return s;
    }
}
