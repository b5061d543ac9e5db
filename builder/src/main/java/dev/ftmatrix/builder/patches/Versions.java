package dev.ftmatrix.builder.patches;

/** Dotted version numbers compared numerically, enough for binding-layer release numbers. */
public final class Versions {
    private Versions() {
    }

    public static int compare(String a, String b) {
        String[] x = a.split("[.]");
        String[] y = b.split("[.]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int part(String[] p, int i) {
        if (i >= p.length) {
            return 0;
        }
        String digits = p[i].replaceAll("^(\\d*).*", "$1");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    /**
     * Whether a pip specifier set ({@code >=3.0,<3.1}) rules out every version from {@code min} on: an upper bound
     * at or below it, or an exact pin below it.
     */
    static boolean excludesFrom(String specifiers, String min) {
        for (String s : specifiers.split(",")) {
            String t = s.strip();
            if (t.startsWith("<=") || t.startsWith("==")) {
                if (compare(t.substring(2).strip(), min) < 0) {
                    return true;
                }
            } else if (t.startsWith("<") && compare(t.substring(1).strip(), min) <= 0) {
                return true;
            }
        }
        return false;
    }
}
