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
    /** Built and installed with its dependencies, but a module does not import. */
    IMPORT_FAILED("import-failed"),
    /** No test ran: none found, none collected, or all skipped. Never {@code ready}. */
    UNTESTED("untested"),
    SKIPPED("skipped"),
    /** ftm itself failed at a named step: nothing is claimed about the project; the next run retries. */
    ERROR("error");

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
                + " ft-failures, crash, hang, build-failed, baseline-failing, import-failed, untested, skipped, error");
    }

    @Override
    public String toString() {
        return word;
    }
}
