package dev.ftmatrix.dashboard.internal;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Timings;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.core.VariantResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The data of one project's page: source, verdicts with their evidence, findings and history. */
public final class ProjectModel {
    /** History rows shown on the page; the JSON API keeps them all. */
    static final int HISTORY_ROWS = 50;

    private ProjectModel() {
    }

    public static Map<String, Object> page(String matrix, CheckResult r, List<String> variants, Timeline timeline) {
        Map<String, Object> m = new LinkedHashMap<>();
        String slug = Names.slug(r.project());
        m.put("matrix", matrix);
        m.put("name", r.project());
        m.put("slug", slug);
        m.put("source", r.source());
        m.put("fingerprint", r.fingerprint().isEmpty() ? "unknown (the source could not be fetched)" : r.fingerprint());
        m.put("finishedAt", Timeline.human(r.finishedAt()));
        m.put("changedAt", Timeline.human(timeline.changedAt(r.project()).toString()));
        m.put("declares", r.declaresFreeThreading() == null ? "unknown"
                : r.declaresFreeThreading() ? "yes: every extension module declares Py_mod_gil = Py_MOD_GIL_NOT_USED"
                : "no: an extension module does not declare free-threading support");
        List<Map<String, Object>> vs = new ArrayList<>();
        for (VariantResult vr : r.variants().values()) {
            vs.add(variant(vr));
        }
        m.put("variantResults", vs);
        m.put("buildBackend", r.facts().buildBackend().isEmpty() ? "unknown" : r.facts().buildBackend());
        m.put("bindingLayers", r.facts().bindingLayers().isEmpty() ? "unknown"
                : String.join(", ", r.facts().bindingLayers()));
        m.put("limitedApi", r.facts().limitedApi());
        m.put("declaredModules", r.facts().modules());
        m.put("hasDeclaredModules", !r.facts().modules().isEmpty());
        m.put("badges", r.variants().keySet().stream().map(v -> Map.of("v", v, "slug", slug)).toList());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            findings.add(Map.of("rule", f.rule(), "severity", f.severity().name().toLowerCase(Locale.ROOT),
                    "where", f.where(), "text", f.text(), "why", f.why(), "fix", f.fix()));
        }
        m.put("findings", findings);
        m.put("hasFindings", !findings.isEmpty());
        m.put("variants", variants);
        List<CheckResult> history = new ArrayList<>(timeline.results(r.project()));
        Collections.reverse(history);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckResult h : history.subList(0, Math.min(HISTORY_ROWS, history.size()))) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (String v : variants) {
                VariantResult hv = h.variants().get(v);
                Verdict verdict = hv == null ? null : hv.verdict();
                cells.add(Map.of("k", Style.css(verdict), "w", Style.word(verdict)));
            }
            rows.add(Map.of("at", Timeline.human(h.finishedAt()), "fingerprint", h.fingerprint(), "cells", cells));
        }
        m.put("history", rows);
        m.put("historyMore", history.size() > HISTORY_ROWS ? history.size() - HISTORY_ROWS : 0);
        return m;
    }

    private static Map<String, Object> variant(VariantResult vr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", vr.variant().id());
        m.put("k", Style.css(vr.verdict()));
        m.put("w", vr.verdict().word());
        m.put("reason", vr.verdictReason());
        m.put("toolchain", vr.toolchain().isEmpty() ? "none" : vr.toolchain());
        m.put("sandbox", vr.sandbox().isEmpty() ? "not run" : vr.sandbox().equals("container")
                ? "container (network none, limits)" : "none (local processes)");
        m.put("patched", vr.patched().stream().map(p -> Map.ofEntries(Map.entry("layer", p.layer()),
                Map.entry("from", p.from()), Map.entry("to", p.to()), Map.entry("how", p.how()),
                Map.entry("pinned", p.pinned().word()), Map.entry("pinnedK", Style.css(p.pinned())),
                Map.entry("pinnedReason", p.pinnedReason()), Map.entry("patchedWord", p.patched().word()),
                Map.entry("patchedK", Style.css(p.patched())), Map.entry("patchedReason", p.patchedReason()),
                Map.entry("advice", p.advice()))).toList());
        m.put("hasPatched", !vr.patched().isEmpty());
        m.put("buildOk", vr.build().ok());
        m.put("buildReason", vr.build().reason());
        m.put("buildSeconds", String.format(Locale.ROOT, "%.1f", vr.build().millis() / 1000.0));
        m.put("wheels", vr.build().wheels());
        m.put("hasWheels", !vr.build().wheels().isEmpty());
        m.put("logTail", vr.build().logTail());
        m.put("hasLog", !vr.build().logTail().isBlank());
        m.put("modules", String.join(", ", vr.modules()));
        m.put("gil", vr.gilEnabledAfterImport() == null ? "not measured"
                : vr.gilEnabledAfterImport() ? "enabled after import" + (vr.gilReenabledBy().isEmpty() ? ""
                : " (re-enabled by " + vr.gilReenabledBy() + ")") : "stays disabled after import");
        m.put("importProbe", vr.importProbe().isEmpty() ? "not run" : vr.importProbe());
        m.put("importErrors", vr.importErrors().entrySet().stream()
                .map(e -> Map.of("module", e.getKey(), "error", e.getValue())).toList());
        m.put("collected", vr.collected() < 0 ? "collection did not run" : Integer.toString(vr.collected()));
        m.put("testRequirements", vr.testRequirements().installed().isEmpty() ? "none declared (pytest only)"
                : String.join(", ", vr.testRequirements().installed()));
        m.put("missingRequirements", vr.testRequirements().missing());
        // where the time went: the project's own build and tests, and ftm's overhead around them
        m.put("timings", vr.timings().entrySet().stream().map(e -> Map.of("phase", e.getKey(),
                "seconds", String.format(Locale.ROOT, "%.1f", e.getValue() / 1000.0),
                "own", Timings.OWN.contains(e.getKey()))).toList());
        m.put("hasTimings", !vr.timings().isEmpty());
        long total = Timings.total(vr.timings());
        long own = Timings.own(vr.timings());
        m.put("timingSummary", String.format(Locale.ROOT, "%.1f s in all, %.1f s the project's own build and"
                + " tests, %.0f %% ftm's overhead", total / 1000.0, own / 1000.0,
                total == 0 ? 0.0 : 100.0 * (total - own) / total));
        m.put("threadUnsafe", vr.threadUnsafe());
        m.put("hasThreadUnsafe", !vr.threadUnsafe().isEmpty());
        List<Map<String, Object>> tests = new ArrayList<>();
        int bad = 0;
        for (TestResult t : vr.tests()) {
            bad += t.outcome().isBad() ? 1 : 0;
            String phase = !t.outcome().isBad() ? "" : TestResult.CONCURRENT.equals(t.phase())
                    ? String.format(Locale.ROOT, "concurrently (%d threads): %d of %d run(s)", t.threads(),
                    t.concurrentFailures(), t.concurrentRuns()) : TestResult.SINGLE.equals(t.phase()) ? "alone" : "";
            tests.add(Map.of("id", t.id(), "outcome", t.outcome().word(), "badOutcome", t.outcome().isBad(),
                    "message", t.message(), "hasMessage", !t.message().isBlank(), "phase", phase,
                    "seconds", String.format(Locale.ROOT, "%.2f", t.millis() / 1000.0)));
        }
        m.put("tests", tests);
        m.put("hasTests", !tests.isEmpty());
        m.put("testSummary", vr.tests().size() + " test(s), " + bad + " not passing");
        return m;
    }
}
