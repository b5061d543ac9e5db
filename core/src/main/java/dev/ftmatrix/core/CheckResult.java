package dev.ftmatrix.core;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of checking one project across variants: the {@code ftm check --json} contract (schema 1).
 *
 * @param declaresFreeThreading true when every extension module declares the GIL unused, false when one does
 *     not, null when unknown: from the source, or else from the free-threaded import probes
 * @param facts what the source scan found (binding layers, each module's declaration)
 * @param findings the abi-checker's source findings
 * @param stages the version of the pipeline's stages that produced it: a stored result of other stages is redone
 * @param timings wall time per project-wide phase in milliseconds (fetch, scan); each variant has its own
 */
@JsonPropertyOrder({"schema", "project", "source", "fingerprint", "declaresFreeThreading", "facts", "findings", "variants",
        "finishedAt", "stages", "timings"})
public record CheckResult(
        int schema,
        String project,
        String source,
        String fingerprint,
        Boolean declaresFreeThreading,
        SourceFacts facts,
        List<Finding> findings,
        SortedMap<String, VariantResult> variants,
        String finishedAt,
        String stages,
        Map<String, Long> timings) {
    public static final int SCHEMA = 1;

    public CheckResult {
        facts = facts == null ? SourceFacts.UNKNOWN : facts;
        stages = stages == null ? "" : stages;
        timings = timings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        findings = findings == null ? List.of() : List.copyOf(findings);
        variants = Collections.unmodifiableSortedMap(new TreeMap<>(variants));
    }

    /** A result with no stage version (stored by an older ftm, or made by hand). */
    public CheckResult(int schema, String project, String source, String fingerprint, Boolean declaresFreeThreading,
                       SourceFacts facts, List<Finding> findings, SortedMap<String, VariantResult> variants,
                       String finishedAt) {
        this(schema, project, source, fingerprint, declaresFreeThreading, facts, findings, variants, finishedAt, "");
    }

    /** A result without timings. */
    public CheckResult(int schema, String project, String source, String fingerprint, Boolean declaresFreeThreading,
                       SourceFacts facts, List<Finding> findings, SortedMap<String, VariantResult> variants,
                       String finishedAt, String stages) {
        this(schema, project, source, fingerprint, declaresFreeThreading, facts, findings, variants, finishedAt, stages,
                Map.of());
    }

    public static SortedMap<String, VariantResult> byId(Map<Variant, VariantResult> results) {
        SortedMap<String, VariantResult> m = new TreeMap<>();
        results.forEach((v, r) -> m.put(v.id(), r));
        return m;
    }
}
