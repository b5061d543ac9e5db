package dev.ftmatrix.core;

import com.fasterxml.jackson.annotation.JsonValue;

/** The verdict for one (project, variant), in the words the dashboard shows. */
public enum Verdict {
    READY("ready"),
    WORKS_UNDECLARED("works-undeclared"),
    FT_FAILURES("ft-failures"),
    CRASH("crash"),
    HANG("hang"),
    BUILD_FAILED("build-failed"),
    BASELINE_FAILING("baseline-failing"),
    SKIPPED("skipped");

    private final String word;

    Verdict(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    /** Parses a verdict word such as {@code ft-failures}. */
    public static Verdict of(String word) {
        for (Verdict v : values()) {
            if (v.word.equals(word)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict '" + word + "': one of ready, works-undeclared,"
                + " ft-failures, crash, hang, build-failed, baseline-failing, skipped");
    }

    @Override
    public String toString() {
        return word;
    }
}
