package dev.ftmatrix.dashboard.internal;

import dev.ftmatrix.core.Verdict;

/** How a verdict looks: the word people read, the CSS class of its cell and its badge colour. */
public final class Style {
    /** The word and class of a cell whose variant did not run at all. */
    public static final String NOT_RUN = "not run";

    private Style() {
    }

    /**
     * CSS class of a matrix cell: one letter, because the index of a thousand projects has four thousand cells and
     * must stay small. The cell's text is always the verdict word, so colour is never the only signal.
     */
    public static String css(Verdict v) {
        if (v == null) {
            return "n";
        }
        return switch (v) {
            case READY -> "r";
            case WORKS_UNDECLARED -> "u";
            case FT_FAILURES -> "f";
            case CRASH -> "c";
            case HANG -> "h";
            case BUILD_FAILED -> "b";
            case BASELINE_FAILING -> "g";
            case IMPORT_FAILED -> "i";
            case UNTESTED -> "t";
            case SKIPPED -> "s";
            case ERROR -> "e";
        };
    }

    public static String word(Verdict v) {
        return v == null ? NOT_RUN : v.word();
    }

    /**
     * Badge background as hex without '#', dark enough for white text (contrast at least 4.5:1), so a badge
     * stays readable; shields.io accepts hex colours in endpoint JSON.
     */
    public static String badgeColour(Verdict v) {
        if (v == null) {
            return "555555";
        }
        return switch (v) {
            case READY -> "1a7f37";
            case WORKS_UNDECLARED -> "7d5a00";
            case FT_FAILURES, CRASH -> "b42318";
            case HANG -> "a3400a";
            case BUILD_FAILED, BASELINE_FAILING, IMPORT_FAILED -> "6941c6";
            case UNTESTED, SKIPPED, ERROR -> "555555";
        };
    }

    /** True for verdicts under which the project works without the GIL. */
    public static boolean works(Verdict v) {
        return v == Verdict.READY || v == Verdict.WORKS_UNDECLARED;
    }

    /** True for verdicts that mean something broke (not merely skipped). */
    public static boolean broken(Verdict v) {
        return v != null && !works(v) && v != Verdict.SKIPPED && v != Verdict.ERROR && v != Verdict.UNTESTED;
    }
}
