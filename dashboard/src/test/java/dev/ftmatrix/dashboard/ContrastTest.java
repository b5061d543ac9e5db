package dev.ftmatrix.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.dashboard.internal.Style;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** WCAG 2 contrast of what the site draws: verdict cells against the text colour, badges against white text. */
class ContrastTest {
    private static final String TEXT = "111111";

    private static double luminance(String hex) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    static double contrast(String a, String b) {
        double la = luminance(a), lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static Map<String, String> cellBackgrounds() throws IOException {
        String css;
        try (InputStream in = SiteRenderer.class.getResourceAsStream("assets/site.css")) {
            css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(css.contains("color: #" + TEXT), "the body text colour is #" + TEXT);
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("\\.([a-z])(?:, \\.([a-z]))? \\{ background: #([0-9a-f]{6}); }").matcher(css);
        while (m.find()) {
            out.put(m.group(1), m.group(3));
            if (m.group(2) != null) {
                out.put(m.group(2), m.group(3));
            }
        }
        return out;
    }

    @Test
    void everyVerdictCellReachesAaaContrastWithItsText() throws IOException {
        Map<String, String> bg = cellBackgrounds();
        for (Verdict v : Verdict.values()) {
            String colour = bg.get(Style.css(v));
            assertTrue(colour != null, "site.css colours ." + Style.css(v) + " (" + v + ")");
            assertTrue(contrast(colour, TEXT) >= 7, v + " cell #" + colour + ": " + contrast(colour, TEXT));
        }
        assertTrue(bg.containsKey(Style.css(null)), "not-run cells are coloured too");
    }

    @Test
    void everyBadgeKeepsWhiteTextReadable() {
        for (Verdict v : Verdict.values()) {
            double c = contrast(Style.badgeColour(v), "ffffff");
            assertTrue(c >= 4.5, v + " badge #" + Style.badgeColour(v) + ": " + c);
        }
    }

    @Test
    void contrastFormulaMatchesKnownValues() {
        assertEquals(21.0, contrast("000000", "ffffff"), 0.01);
        assertEquals(4.54, contrast("767676", "ffffff"), 0.01);
    }
}
