package dev.ftmatrix.dashboard.internal;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.core.VariantResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The data of the index page and of {@code api/v1/matrix.json}: the matrix, counts and percentages. */
public final class IndexModel {
    private IndexModel() {
    }

    /** Counts per variant: {@code projects} (with a result for it) and one entry per verdict word. */
    public static Map<String, Map<String, Integer>> counts(List<CheckResult> latest, List<String> variants) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (String v : variants) {
            Map<String, Integer> c = new LinkedHashMap<>();
            c.put("projects", 0);
            for (Verdict verdict : Verdict.values()) {
                c.put(verdict.word(), 0);
            }
            for (CheckResult r : latest) {
                VariantResult vr = r.variants().get(v);
                if (vr != null) {
                    c.merge("projects", 1, Integer::sum);
                    c.merge(vr.verdict().word(), 1, Integer::sum);
                }
            }
            out.put(v, c);
        }
        return out;
    }

    /** The mustache model of index.html. */
    public static Map<String, Object> page(String matrix, List<CheckResult> latest, List<String> variants,
                                           Timeline timeline, String chartAlt, String updated) {
        Map<String, Map<String, Integer>> counts = counts(latest, variants);
        List<Map<String, Object>> countRows = new ArrayList<>();
        for (Verdict verdict : Verdict.values()) {
            List<Map<String, Object>> cells = new ArrayList<>();
            boolean any = false;
            for (String v : variants) {
                int n = counts.get(v).get(verdict.word()), of = counts.get(v).get("projects");
                any |= n > 0;
                cells.add(Map.of("n", n, "pct", percent(n, of)));
            }
            if (any || verdict == Verdict.READY) {
                countRows.add(Map.of("word", verdict.word(), "k", Style.css(verdict), "cells", cells));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>(latest.size());
        SortedSet<String> bindings = new TreeSet<>();
        for (CheckResult r : latest) {
            List<Map<String, Object>> cells = new ArrayList<>(variants.size());
            for (String v : variants) {
                VariantResult vr = r.variants().get(v);
                Verdict verdict = vr == null ? null : vr.verdict();
                cells.add(Map.of("k", Style.css(verdict), "w", Style.word(verdict)));
            }
            String layers = layerNames(r);
            bindings.addAll(Arrays.asList(layers.split(" ")));
            rows.add(Map.of("n", r.project(), "f", Names.slug(r.project()), "b", layers.isEmpty() ? "?" : layers,
                    "c", timeline.changedAt(r.project()).getEpochSecond(), "cells", cells));
        }
        bindings.remove("");
        List<Map<String, Object>> summary = new ArrayList<>();
        for (String v : variants) {
            int ready = counts.get(v).get(Verdict.READY.word()), of = counts.get(v).get("projects");
            summary.add(Map.of("variant", v, "ready", ready, "of", of, "pct", percent(ready, of)));
        }
        List<Map<String, Object>> variantOptions = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            variantOptions.add(Map.of("i", i, "v", variants.get(i)));
        }
        List<String> words = new ArrayList<>();
        for (Verdict verdict : Verdict.values()) {
            words.add(verdict.word());
        }
        words.add(Style.NOT_RUN);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", matrix);
        m.put("updated", updated);
        m.put("projects", latest.size());
        m.put("variants", variants);
        m.put("variantOptions", variantOptions);
        m.put("verdictWords", words);
        m.put("bindingOptions", List.copyOf(bindings));
        m.put("summary", summary);
        m.put("countRows", countRows);
        m.put("rows", rows);
        m.put("chartAlt", chartAlt);
        return m;
    }

    /** The binding layers' names without versions, e.g. {@code cython pybind11}; empty when the scan found none. */
    static String layerNames(CheckResult r) {
        return r.facts().bindingLayers().stream().map(l -> l.split(" ", 2)[0]).distinct()
                .collect(Collectors.joining(" "));
    }

    static String percent(int n, int of) {
        return of == 0 ? "–" : String.format(Locale.ROOT, "%.0f%%", 100.0 * n / of);
    }
}
