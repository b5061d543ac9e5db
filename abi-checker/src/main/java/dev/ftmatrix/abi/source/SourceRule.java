package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.core.Finding;
import java.util.List;

/** A rule that reads one file and reports what in it breaks or risks breaking a free-threaded build. */
public interface SourceRule {
    /** The rule ids this rule can report, with a one-line description each (for SARIF and --help). */
    List<RuleInfo> describes();

    /** The findings in {@code file}; an empty list when the rule does not apply to its kind. */
    List<Finding> check(SourceFile file);

    /** A finding at {@code offset} of {@code file}. */
    static Finding at(SourceFile file, int offset, String rule, Finding.Severity severity, String text, String why,
                      String fix) {
        return new Finding(rule, severity, file.path(), file.line(offset), file.column(offset), text, why, fix);
    }
}
