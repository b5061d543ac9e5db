package dev.ftmatrix.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.SourceFacts;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.dashboard.internal.Badges;
import dev.ftmatrix.dashboard.internal.DeltaModel;
import dev.ftmatrix.dashboard.internal.Feeds;
import dev.ftmatrix.dashboard.internal.IndexModel;
import dev.ftmatrix.dashboard.internal.Names;
import dev.ftmatrix.dashboard.internal.ProjectModel;
import dev.ftmatrix.dashboard.internal.ReadinessChart;
import dev.ftmatrix.dashboard.internal.Timeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders results to a static site that works from any static host and offline (relative links only): the matrix
 * ({@code index.html}), a page per project, the readiness chart, the change feed, the JSON API ({@code api/v1/}) and
 * badges. The API's schema is described in {@code dashboard/API.md}.
 */
public final class SiteRenderer {
    /** The version of the JSON API's documents. */
    public static final int API_SCHEMA = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ASSETS = List.of("site.css", "matrix.js");
    private static final Template ABI_SECTION = template("abi-section.html.mustache");
    private final Template index = template("index.html.mustache");
    private final Template project = template("project.html.mustache");
    private final Template abi = template("abi.html.mustache");
    private List<HeaderDelta> headerDeltas = List.of();
    private boolean publishedWheels;

    /**
     * The stored header deltas of the toolchain pairs to show, in order; when there are any, the site gets an
     * {@code abi.html} page linked from the index.
     */
    public SiteRenderer headerDeltas(List<HeaderDelta> deltas) {
        this.headerDeltas = List.copyOf(deltas);
        return this;
    }

    /** Whether the site has the published-wheels view ({@link WheelsPage}): the index links to it. */
    public SiteRenderer publishedWheels(boolean shown) {
        this.publishedWheels = shown;
        return this;
    }

    /** One header delta as {@code abi.html} shows it, a {@code <section>} (for {@code ftm abi diff --html}). */
    public static String section(HeaderDelta d) {
        return ABI_SECTION.execute(DeltaModel.section(d));
    }

    /** Renders the latest results, each its own one-entry history. */
    public void render(String matrixName, List<CheckResult> results, Path site) {
        Map<String, List<CheckResult>> history = new LinkedHashMap<>();
        results.forEach(r -> history.put(r.project(), List.of(r)));
        render(matrixName, results, history, site);
    }

    /**
     * Renders {@code latest} (one result per project) with every stored result per project in {@code history}
     * (any order; a project missing there gets its latest result as its history).
     */
    public void render(String matrixName, List<CheckResult> latest, Map<String, List<CheckResult>> history, Path site) {
        List<CheckResult> sorted = new ArrayList<>(latest);
        sorted.sort(Comparator.comparing(CheckResult::project));
        TreeSet<Variant> vs = new TreeSet<>();
        sorted.forEach(r -> r.variants().keySet().forEach(v -> vs.add(Variant.parse(v))));
        Session session = session(matrixName, vs.stream().map(Variant::id).toList(), site);
        for (CheckResult r : sorted) {
            session.project(r, history.getOrDefault(r.project(), List.of(r)));
        }
        session.finish();
    }

    /**
     * A render that takes the projects one at a time, so that memory is bounded by one project's results: each
     * project's pages are written as it comes, and only its verdicts are kept for the index, chart, feeds and API.
     * {@code variants} are the site's columns, in order.
     */
    public Session session(String matrixName, List<String> variants, Path site) {
        return new Session(matrixName, List.copyOf(variants), site);
    }

    /** One render of the site; see {@link #session}. */
    public final class Session {
        private final String matrixName;
        private final List<String> variants;
        private final Path site;
        private final List<CheckResult> latest = new ArrayList<>();
        private final Map<String, List<CheckResult>> history = new LinkedHashMap<>();

        private Session(String matrixName, List<String> variants, Path site) {
            this.matrixName = matrixName;
            this.variants = variants;
            this.site = site;
            try {
                Files.createDirectories(site.resolve("api/v1/projects"));
                Files.createDirectories(site.resolve("projects"));
                Files.createDirectories(site.resolve("assets"));
                for (String a : ASSETS) {
                    try (InputStream in = resource("assets/" + a)) {
                        Files.write(site.resolve("assets").resolve(a), in.readAllBytes());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the site to " + site, e);
            }
        }

        /** Writes the pages of a project ({@code history}: its every result, any order) and keeps its verdicts. */
        public void project(CheckResult r, List<CheckResult> projectHistory) {
            Timeline timeline = new Timeline(Map.of(r.project(), projectHistory));
            String slug = Names.slug(r.project());
            try {
                Files.writeString(site.resolve("projects").resolve(slug + ".html"),
                        project.execute(ProjectModel.page(matrixName, r, variants, timeline)));
                JSON.writeValue(site.resolve("api/v1/projects").resolve(slug + ".json").toFile(),
                        projectDocument(r, timeline));
                Path badges = Files.createDirectories(site.resolve("badges").resolve(slug));
                for (Map.Entry<String, VariantResult> e : r.variants().entrySet()) {
                    JSON.writeValue(badges.resolve(e.getKey() + ".json").toFile(),
                            Badges.endpoint(e.getKey(), e.getValue().verdict()));
                    Files.writeString(badges.resolve(e.getKey() + ".svg"), Badges.svg(e.getKey(), e.getValue().verdict()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the site to " + site, e);
            }
            unchanged(slim(r), projectHistory.stream().map(SiteRenderer::slim).toList());
        }

        /** Keeps the verdicts of a project whose pages are already written and have not changed. */
        public void unchanged(CheckResult slimLatest, List<CheckResult> slimHistory) {
            latest.add(slimLatest);
            history.put(slimLatest.project(), slimHistory);
        }

        /** Writes the index, chart, feeds and matrix API from the projects' verdicts; returns how many it shows. */
        public int finish() {
            List<CheckResult> sorted = new ArrayList<>(latest);
            sorted.sort(Comparator.comparing(CheckResult::project));
            Timeline timeline = new Timeline(history);
            Instant updated = sorted.stream().map(r -> Timeline.instant(r.finishedAt())).max(Comparator.naturalOrder())
                    .orElse(Instant.EPOCH);
            List<ReadinessChart.Point> points = ReadinessChart.points(timeline, variants);
            try {
                Map<String, Object> indexModel = IndexModel.page(matrixName, sorted, variants, timeline,
                        ReadinessChart.describe(points, variants), Timeline.human(updated.toString()));
                indexModel.put("hasAbi", !headerDeltas.isEmpty());
                indexModel.put("hasWheels", publishedWheels);
                Files.writeString(site.resolve("index.html"), index.execute(indexModel));
                Files.deleteIfExists(site.resolve("abi.html"));
                if (!headerDeltas.isEmpty()) {
                    Files.writeString(site.resolve("abi.html"), abi.execute(Map.of("matrix", matrixName, "sections",
                            DeltaModel.sections(headerDeltas))));
                }
                Files.writeString(site.resolve("readiness.svg"), ReadinessChart.svg(points, variants));
                JSON.writeValue(site.resolve("feed.json").toFile(), Feeds.json(matrixName, timeline.feed(), updated));
                Files.writeString(site.resolve("feed.atom"), Feeds.atom(matrixName, timeline.feed(), updated));
                JSON.writeValue(site.resolve("api/v1/matrix.json").toFile(), matrixDocument(matrixName, sorted,
                        variants, timeline, updated));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the site to " + site, e);
            }
            return sorted.size();
        }
    }

    /**
     * What the index, chart, feeds and matrix API read of a result: the project's facts and each variant's verdict,
     * without the tests, logs and findings that make a result large.
     */
    public static CheckResult slim(CheckResult r) {
        SortedMap<String, VariantResult> vs = new TreeMap<>();
        r.variants().forEach((id, v) -> vs.put(id, new VariantResult(v.variant(), v.toolchain(),
                new BuildResult(v.build().ok(), "", List.of(), "", 0), List.of(), null, "", List.of(),
                v.verdict(), v.verdictReason(), "", List.of())));
        return new CheckResult(r.schema(), r.project(), r.source(), r.fingerprint(), r.declaresFreeThreading(),
                new SourceFacts(r.facts().buildBackend(), r.facts().bindingLayers(),
                        r.facts().declaresFreeThreading(), List.of(), r.facts().limitedApi()),
                List.of(), vs, r.finishedAt(), r.stages(), Map.of());
    }

    private static Map<String, Object> matrixDocument(String matrix, List<CheckResult> latest, List<String> variants,
                                                      Timeline timeline, Instant updated) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", API_SCHEMA);
        doc.put("matrix", matrix);
        doc.put("updated", updated.toString());
        doc.put("variants", variants);
        doc.put("counts", IndexModel.counts(latest, variants));
        doc.put("projects", latest.stream().map(r -> {
            Map<String, Object> p = new LinkedHashMap<>();
            String slug = Names.slug(r.project());
            p.put("name", r.project());
            p.put("source", r.source());
            p.put("fingerprint", r.fingerprint());
            p.put("finishedAt", r.finishedAt());
            p.put("changedAt", timeline.changedAt(r.project()).toString());
            p.put("verdicts", verdicts(r));
            p.put("api", "api/v1/projects/" + slug + ".json");
            p.put("page", "projects/" + slug + ".html");
            return p;
        }).toList());
        return doc;
    }

    private static Map<String, Object> projectDocument(CheckResult r, Timeline timeline) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", API_SCHEMA);
        doc.put("name", r.project());
        doc.put("changedAt", timeline.changedAt(r.project()).toString());
        doc.put("latest", r);
        List<CheckResult> history = new ArrayList<>(timeline.results(r.project()));
        Collections.reverse(history);
        doc.put("history", history.stream().map(h -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("finishedAt", h.finishedAt());
            e.put("fingerprint", h.fingerprint());
            e.put("verdicts", verdicts(h));
            return e;
        }).toList());
        return doc;
    }

    private static Map<String, String> verdicts(CheckResult r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.variants().forEach((v, vr) -> m.put(v, vr.verdict().word()));
        return m;
    }

    private static InputStream resource(String name) {
        InputStream in = SiteRenderer.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " is missing from the dashboard jar");
        }
        return in;
    }

    private static Template template(String name) {
        try (InputStream in = resource(name)) {
            // partials ({{> abi-section}}) are the dashboard's own templates
            return Mustache.compiler().escapeHTML(true)
                    .withLoader(partial -> new InputStreamReader(resource(partial + ".html.mustache"), StandardCharsets.UTF_8))
                    .compile(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
