package dev.ftmatrix.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happened to one test. */
public enum TestOutcome {
    PASS, FAIL, ERROR, CRASH, HANG, SKIP;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the outcomes that count against a variant. */
    public boolean isBad() {
        return this != PASS && this != SKIP;
    }
}
