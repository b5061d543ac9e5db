package dev.ftmatrix.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One source or ABI finding: a rule that matched at file:line:column, why it matters and how to fix it. */
public record Finding(String rule, Severity severity, String file, int line, int column, String text, String why, String fix) {
    /** How bad a finding is for a free-threaded build. */
    public enum Severity {
        @JsonProperty("error") ERROR,
        @JsonProperty("warning") WARNING,
        @JsonProperty("note") NOTE
    }

    /** {@code file:line} for people. */
    public String where() {
        return file + ":" + line;
    }
}
