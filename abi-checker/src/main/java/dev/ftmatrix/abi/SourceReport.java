package dev.ftmatrix.abi;

import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.SourceFacts;
import java.util.List;

/**
 * What {@link SourceScan} found in a project tree.
 *
 * @param root the scanned directory
 * @param files how many files the rules read
 * @param bytes their total size
 * @param millis how long the scan took
 * @param findings every finding, ordered by file, line and column
 * @param modules each extension module found and its GIL declaration
 */
public record SourceReport(String root, int files, long bytes, long millis, List<Finding> findings,
                           List<GilDeclaration> modules) {
    public SourceReport {
        findings = List.copyOf(findings);
        modules = List.copyOf(modules);
    }

    /** The findings of one rule. */
    public List<Finding> findings(String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** Each module's declaration in core's vocabulary: what the scanner and the check result take. */
    public List<SourceFacts.DeclaredModule> declaredModules() {
        return modules.stream().map(g -> new SourceFacts.DeclaredModule(g.module(), g.binding(),
                g.state().word(), g.mechanism(), g.evidence(), g.file() + ":" + g.line())).toList();
    }
}
