package dev.ftmatrix.core;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of checking one project across variants: the {@code ftm check --json} contract (schema 1).
 *
 * @param declaresFreeThreading true when every extension module declares the GIL unused, false when one does
 *     not, null when unknown
 */
@JsonPropertyOrder({"schema", "project", "source", "fingerprint", "declaresFreeThreading", "facts", "findings", "variants",
        "finishedAt"})
public record CheckResult(
        int schema,
        String project,
        String source,
        String fingerprint,
        Boolean declaresFreeThreading,
        SourceFacts facts,
        List<Finding> findings,
        SortedMap<String, VariantResult> variants,
        String finishedAt) {
    public static final int SCHEMA = 1;

    public CheckResult {
        facts = facts == null ? SourceFacts.UNKNOWN : facts;
        findings = findings == null ? List.of() : List.copyOf(findings);
        variants = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(variants));
    }

    public static SortedMap<String, VariantResult> byId(Map<Variant, VariantResult> results) {
        SortedMap<String, VariantResult> m = new TreeMap<>();
        results.forEach((v, r) -> m.put(v.id(), r));
        return m;
    }
}
