package dev.ftmatrix.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.VariantResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Renders results to a static site: {@code index.html} (the matrix) and {@code api/v1/matrix.json}. */
public final class SiteRenderer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Template index = template("index.html.mustache");

    public void render(String matrixName, List<CheckResult> results, Path site) {
        TreeSet<String> variants = new TreeSet<>(java.util.Comparator.comparing(dev.ftmatrix.core.Variant::parse));
        results.forEach(r -> variants.addAll(r.variants().keySet()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckResult r : results) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (String v : variants) {
                VariantResult vr = r.variants().get(v);
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("variant", v);
                cell.put("verdict", vr == null ? "not run" : vr.verdict().word());
                cell.put("css", vr == null ? "none" : vr.verdict().word());
                cell.put("reason", vr == null ? "" : vr.verdictReason());
                cells.add(cell);
            }
            rows.add(Map.of("project", r.project(), "fingerprint", r.fingerprint(), "cells", cells));
        }
        Map<String, Object> model = Map.of("name", matrixName, "variants", List.copyOf(variants), "rows", rows);
        try {
            Files.createDirectories(site.resolve("api/v1"));
            Files.writeString(site.resolve("index.html"), index.execute(model));
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("schema", 1);
            api.put("matrix", matrixName);
            api.put("variants", List.copyOf(variants));
            api.put("projects", results);
            JSON.writeValue(site.resolve("api/v1/matrix.json").toFile(), api);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the site to " + site, e);
        }
    }

    private static Template template(String name) {
        try (InputStream in = SiteRenderer.class.getResourceAsStream(name)) {
            return Mustache.compiler().escapeHTML(true).compile(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
