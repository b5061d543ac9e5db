package dev.ftmatrix.wheels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release's version ordered as PEP 440 orders it (epoch, release numbers, pre-, post- and dev-releases; a local
 * label is ignored), so that "the latest release checked" and "the first release found ready" mean what pip means.
 * A version that is not PEP 440 sorts before every one that is, by its text.
 */
public record ReleaseVersion(String text) implements Comparable<ReleaseVersion> {
    private static final Pattern PEP440 = Pattern.compile("^v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
            + "(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d*))?"
            + "(?:-(\\d+)|[-_.]?(?:post|rev|r)[-_.]?(\\d*))?"
            + "(?:[-_.]?dev[-_.]?(\\d*))?(?:\\+[a-z0-9._-]+)?$");

    @Override
    public int compareTo(ReleaseVersion o) {
        long[] a = key(text);
        long[] b = key(o.text);
        if (a == null || b == null) {
            return a == null && b == null ? text.compareTo(o.text) : a == null ? -1 : 1;
        }
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int c = Long.compare(i < a.length ? a[i] : 0, i < b.length ? b[i] : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Whether the version is a pre- or dev-release (pip leaves those out unless asked). */
    public boolean preRelease() {
        Matcher m = PEP440.matcher(text.strip().toLowerCase(Locale.ROOT));
        return m.matches() && (m.group(3) != null || m.group(7) != null);
    }

    /**
     * Epoch, then three fields for (pre-release phase, number), post number and dev number, then the release numbers
     * padded to 8: compared field by field this is PEP 440's order.
     */
    private static long[] key(String version) {
        Matcher m = PEP440.matcher(version.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        List<Long> k = new ArrayList<>();
        k.add(m.group(1) == null ? 0 : Long.parseLong(m.group(1)));
        String[] release = m.group(2).split("\\.");
        for (int i = 0; i < 8; i++) {
            k.add(i < release.length ? Long.parseLong(release[i]) : 0);
        }
        boolean pre = m.group(3) != null;
        boolean post = m.group(5) != null || m.group(6) != null;
        boolean dev = m.group(7) != null;
        // phase: dev-only release (0) < alpha (1) < beta (2) < rc (3) < final (4)
        long phase = pre ? switch (m.group(3)) {
            case "a", "alpha" -> 1;
            case "b", "beta" -> 2;
            default -> 3;
        } : dev && !post ? 0 : 4;
        k.add(phase);
        k.add(pre ? number(m.group(4)) : 0);
        k.add(post ? 1 + number(m.group(5) != null ? m.group(5) : m.group(6)) : 0);
        k.add(dev ? number(m.group(7)) : Long.MAX_VALUE);
        return k.stream().mapToLong(Long::longValue).toArray();
    }

    private static long number(String s) {
        return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
    }
}
