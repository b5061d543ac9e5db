package dev.ftmatrix.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.ftmatrix.dashboard.internal.Badges;
import dev.ftmatrix.dashboard.internal.Names;
import dev.ftmatrix.dashboard.internal.Timeline;
import dev.ftmatrix.dashboard.internal.WheelStyle;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The site's published-wheels view beside the build matrix: {@code wheels.html} (per project, the latest release's
 * wheel per variant with the modules that turn the GIL back on, and the first release whose wheel keeps it off), the
 * JSON API ({@code api/v1/wheels.json}, {@code api/v1/wheels/<name>.json}) and badges
 * ({@code badges/<name>/wheel-<variant>.svg|json}); see {@code dashboard/API.md}.
 */
public final class WheelsPage {
    /** Where the page is, relative to the site root (the index links to it when there are wheels). */
    public static final String PAGE = "wheels.html";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Template page = template();

    /** Writes the view of {@code projects} (any order) under {@code site}; returns how many projects it shows. */
    public int render(String title, List<PublishedWheels> projects, Path site) {
        List<PublishedWheels> sorted = new ArrayList<>(projects);
        sorted.sort(Comparator.comparing(PublishedWheels::project, String.CASE_INSENSITIVE_ORDER));
        TreeSet<String> variantSet = new TreeSet<>();
        sorted.forEach(p -> variantSet.addAll(p.latest().keySet()));
        List<String> variants = List.copyOf(variantSet);
        try {
            Files.createDirectories(site.resolve("api/v1/wheels"));
            for (PublishedWheels p : sorted) {
                String slug = Names.slug(p.project());
                JSON.writeValue(site.resolve("api/v1/wheels").resolve(slug + ".json").toFile(), projectDocument(p));
                Path badges = Files.createDirectories(site.resolve("badges").resolve(slug));
                for (PublishedWheels.Check c : p.latest().values()) {
                    String label = c.variant() + " wheel";
                    JSON.writeValue(badges.resolve("wheel-" + c.variant() + ".json").toFile(),
                            Badges.endpoint(label, c.verdict(), WheelStyle.badgeColour(c.verdict())));
                    Files.writeString(badges.resolve("wheel-" + c.variant() + ".svg"),
                            Badges.svg(label, c.verdict(), WheelStyle.badgeColour(c.verdict())));
                }
            }
            JSON.writeValue(site.resolve("api/v1/wheels.json").toFile(), indexDocument(title, sorted, variants));
            Files.writeString(site.resolve(PAGE), page.execute(model(title, sorted, variants)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the published-wheels view to " + site, e);
        }
        return sorted.size();
    }

    private static Map<String, Object> model(String title, List<PublishedWheels> projects, List<String> variants) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PublishedWheels p : projects) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (String v : variants) {
                PublishedWheels.Check c = p.latest().get(v);
                PublishedWheels.FirstReady first = p.firstReady().get(v);
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("variant", v);
                cell.put("k", c == null ? "n" : WheelStyle.css(c.verdict()));
                cell.put("verdict", c == null ? "not checked" : c.verdict());
                cell.put("version", c == null ? "" : c.version());
                cell.put("reason", c == null ? "" : c.reason());
                cell.put("wheel", c == null ? "" : c.wheel());
                cell.put("reenabledBy", c == null ? List.of() : c.gilReenabledBy());
                cell.put("notImporting", c == null ? List.of() : c.notImporting());
                cell.put("reenables", c != null && !c.gilReenabledBy().isEmpty());
                cell.put("fails", c != null && !c.notImporting().isEmpty());
                long checked = p.history().stream().filter(h -> h.variant().equals(v)).map(PublishedWheels.Check::version)
                        .distinct().count();
                cell.put("first", first != null ? first.version() : checked == 0 ? "not checked"
                        : "none of " + checked + " checked");
                cell.put("firstTitle", first == null ? "" : "ready since " + Timeline.human(first.checkedAt())
                        + "; " + first.releasesChecked() + " release(s) checked on " + v);
                cells.add(cell);
            }
            List<Map<String, Object>> history = new ArrayList<>();
            for (PublishedWheels.Check h : p.history()) {
                history.add(Map.of("version", h.version(), "variant", h.variant(), "verdict", h.verdict(),
                        "k", WheelStyle.css(h.verdict()), "at", Timeline.human(h.checkedAt()),
                        "reenabledBy", String.join(", ", h.gilReenabledBy())));
            }
            String slug = Names.slug(p.project());
            rows.add(Map.of("name", p.project(), "slug", slug, "cells", cells, "history", history,
                    "checks", p.history().size()));
        }
        List<Map<String, Object>> counts = new ArrayList<>();
        for (String word : WheelStyle.WORDS) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (String v : variants) {
                long n = projects.stream().filter(p -> p.latest().containsKey(v)
                        && p.latest().get(v).verdict().equals(word)).count();
                cells.add(Map.of("n", n));
            }
            counts.add(Map.of("word", word, "k", WheelStyle.css(word), "cells", cells));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", title);
        m.put("projects", projects.size());
        m.put("variants", variants);
        m.put("rows", rows);
        m.put("counts", counts);
        return m;
    }

    private static Map<String, Object> indexDocument(String title, List<PublishedWheels> projects, List<String> variants) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SiteRenderer.API_SCHEMA);
        doc.put("matrix", title);
        doc.put("variants", variants);
        doc.put("projects", projects.stream().map(p -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", p.project());
            e.put("latest", p.latest());
            e.put("firstReady", p.firstReady());
            e.put("api", "api/v1/wheels/" + Names.slug(p.project()) + ".json");
            return e;
        }).toList());
        return doc;
    }

    private static Map<String, Object> projectDocument(PublishedWheels p) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SiteRenderer.API_SCHEMA);
        doc.put("name", p.project());
        doc.put("latest", p.latest());
        doc.put("firstReady", p.firstReady());
        doc.put("history", p.history());
        return doc;
    }

    private static Template template() {
        try (InputStream in = WheelsPage.class.getResourceAsStream("wheels.html.mustache")) {
            if (in == null) {
                throw new IllegalStateException("resource wheels.html.mustache is missing from the dashboard jar");
            }
            return Mustache.compiler().escapeHTML(true).compile(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
