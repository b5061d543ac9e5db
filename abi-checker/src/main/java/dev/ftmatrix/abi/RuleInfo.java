package dev.ftmatrix.abi;

import dev.ftmatrix.core.Finding;

/** A rule id, its short description and the default severity (for SARIF and --help). */
public record RuleInfo(String id, String description, Finding.Severity severity) {
}
