package dev.ftmatrix.dashboard.internal;

import java.util.List;

/** How a published-wheel verdict word looks: its cell's CSS class (the build matrix's letters) and badge colour. */
public final class WheelStyle {
    private WheelStyle() {
    }

    /** The verdict words in the order the page counts them. */
    public static final List<String> WORDS = List.of("wheel-ready", "wheel-reenables-gil",
            "wheel-mistagged", "wheel-import-fails", "no-wheel", "error");

    public static String css(String word) {
        return switch (word) {
            case "wheel-ready" -> "r";
            case "wheel-reenables-gil" -> "u";
            case "wheel-mistagged" -> "f";
            case "wheel-import-fails" -> "i";
            case "error" -> "e";
            default -> "n";
        };
    }

    /** Dark enough for white text (contrast at least 4.5:1), as the build badges. */
    public static String badgeColour(String word) {
        return switch (word) {
            case "wheel-ready" -> "1a7f37";
            case "wheel-reenables-gil" -> "7d5a00";
            case "wheel-mistagged" -> "b42318";
            case "wheel-import-fails" -> "6941c6";
            default -> "555555";
        };
    }
}
