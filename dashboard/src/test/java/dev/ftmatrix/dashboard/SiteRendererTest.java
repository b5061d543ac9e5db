package dev.ftmatrix.dashboard;

import static dev.ftmatrix.core.Verdict.BUILD_FAILED;
import static dev.ftmatrix.core.Verdict.CRASH;
import static dev.ftmatrix.core.Verdict.FT_FAILURES;
import static dev.ftmatrix.core.Verdict.READY;
import static dev.ftmatrix.core.Verdict.WORKS_UNDECLARED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class SiteRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path site;

    private static final CheckResult ALPHA_OLD = Results.of("alpha", "2026-11-01T10:00:00Z",
            Results.verdicts("cp313", READY, "cp313t", FT_FAILURES));
    private static final CheckResult ALPHA = Results.of("alpha", "2026-11-02T10:00:00Z",
            Results.verdicts("cp313", READY, "cp313t", READY));
    private static final CheckResult BETA_OLD = Results.of("beta", "2026-11-01T11:00:00Z",
            Results.verdicts("cp313", READY, "cp313t", WORKS_UNDECLARED));
    private static final CheckResult BETA = Results.of("beta", "2026-11-03T09:00:00Z",
            Results.verdicts("cp313", READY, "cp313t", CRASH),
            List.of(new Finding("borrowed-ref", Finding.Severity.WARNING, "src/beta.c", 42, 7,
                    "PyDict_GetItem returns a borrowed reference", "another thread may free it",
                    "use PyDict_GetItemRef")));
    private static final CheckResult GAMMA = Results.of("gamma<script>", "2026-11-02T12:00:00Z",
            Results.verdicts("cp313", BUILD_FAILED, "cp313t", BUILD_FAILED));

    private void renderWithHistory() {
        new SiteRenderer().render("demo", List.of(ALPHA, BETA, GAMMA),
                Map.of("alpha", List.of(ALPHA, ALPHA_OLD), "beta", List.of(BETA_OLD, BETA)), site);
    }

    @Test
    void everyMatrixCellNamesItsVerdictInWordsNotOnlyColour() throws IOException {
        renderWithHistory();
        String index = Files.readString(site.resolve("index.html"));
        assertTrue(index.contains("<caption>Projects × interpreter variants"), "the matrix has a caption");
        assertTrue(index.contains("<th scope=\"col\">cp313t</th>"), "variant headers are column headers");
        Matcher row = Pattern.compile("<tr data-c=\\d+><th scope=row><a href=\"projects/beta.html\">beta</a></th>(.*?)</tr>")
                .matcher(index);
        assertTrue(row.find(), "beta has a row with a link to its page");
        assertEquals("<td>" + Results.facts("beta").bindingLayers().getFirst().split(" ")[0]
                + "</td><td class=r>ready</td><td class=c>crash</td>", row.group(1), "binding layer, then a cell per variant");
        assertTrue(index.contains("gamma&lt;script&gt;"), "names are escaped");
        assertFalse(index.contains("gamma<script>"));
        assertTrue(index.contains("<strong>cp313t</strong>: 1 of 3 ready (33%)"), index);
    }

    @Test
    void countsAndPercentagesPerVariant() throws IOException {
        renderWithHistory();
        JsonNode counts = JSON.readTree(site.resolve("api/v1/matrix.json").toFile()).get("counts");
        assertEquals(3, counts.get("cp313").get("projects").asInt());
        assertEquals(2, counts.get("cp313").get("ready").asInt());
        assertEquals(1, counts.get("cp313t").get("crash").asInt());
        String index = Files.readString(site.resolve("index.html"));
        assertTrue(index.contains("<tr><th scope=\"row\" class=\"r\">ready</th><td>2 (67%)</td><td>1 (33%)</td></tr>"), index);
    }

    @Test
    void recentlyChangedIsWhenVerdictsLastChangedNotWhenLastChecked() throws IOException {
        CheckResult again = Results.of("alpha", "2026-11-05T10:00:00Z", Results.verdicts("cp313", READY, "cp313t", READY));
        new SiteRenderer().render("demo", List.of(again), Map.of("alpha", List.of(ALPHA_OLD, ALPHA, again)), site);
        JsonNode p = JSON.readTree(site.resolve("api/v1/matrix.json").toFile()).get("projects").get(0);
        assertEquals("2026-11-02T10:00:00Z", p.get("changedAt").asText());
        assertEquals("2026-11-05T10:00:00Z", p.get("finishedAt").asText());
        assertTrue(Files.readString(site.resolve("index.html")).contains("<tr data-c=1793613600>"));
    }

    @Test
    void projectPageShowsSourceReasonsTestsTracebacksBuildLogFindingsAndHistory() throws IOException {
        renderWithHistory();
        String page = Files.readString(site.resolve("projects/beta.html"));
        assertTrue(page.contains("<code>" + BETA.source() + "</code>"));
        assertTrue(page.contains("<code>" + BETA.fingerprint() + "</code>"));
        assertTrue(page.contains("<td class=\"c\">crash</td><td>because: crash</td>"), "verdict with its reason");
        assertTrue(page.contains("<details><summary>traceback</summary><pre>Traceback (most recent call last):"));
        assertTrue(page.contains("<th scope=\"row\"><code>src/beta.c:42</code></th><td>borrowed-ref</td>"), "finding with file:line");
        assertTrue(page.contains("use PyDict_GetItemRef"));
        Matcher history = Pattern.compile("<tr><th scope=\"row\">(2026-[^<]+)</th>").matcher(page);
        assertTrue(history.find());
        assertEquals("2026-11-03 09:00:00 UTC", history.group(1), "newest first");
        assertTrue(history.find());
        assertEquals("2026-11-01 11:00:00 UTC", history.group(1));
        String gamma = Files.readString(site.resolve("projects/gamma_script_.html"));
        assertTrue(gamma.contains("<details><summary>Build log (last lines)</summary><pre>src/mod.c:12:5: error: &#39;PyObject&#39;")
                || gamma.contains("<details><summary>Build log (last lines)</summary><pre>src/mod.c:12:5: error: &#x27;PyObject&#x27;"), gamma);
    }

    @Test
    void feedsListNewlyReadyAndRegressedNewestFirst() throws Exception {
        renderWithHistory();
        JsonNode changes = JSON.readTree(site.resolve("feed.json").toFile()).get("changes");
        assertEquals("beta", changes.get(0).get("project").asText());
        assertEquals("regressed", changes.get(0).get("kind").asText());
        assertEquals("works-undeclared", changes.get(0).get("from").asText());
        assertEquals("crash", changes.get(0).get("to").asText());
        List<String> kinds = Stream.iterate(0, i -> i + 1).limit(changes.size())
                .map(i -> changes.get(i).get("project").asText() + " " + changes.get(i).get("variant").asText() + " "
                        + changes.get(i).get("kind").asText()).toList();
        assertTrue(kinds.contains("alpha cp313t newly-ready"), kinds.toString());
        assertFalse(kinds.stream().anyMatch(k -> k.startsWith("gamma")), "build failures are not news: " + kinds);
        Document atom = xml(site.resolve("feed.atom"));
        assertEquals("feed", atom.getDocumentElement().getLocalName());
        assertEquals(changes.size(), atom.getElementsByTagName("entry").getLength());
        assertEquals("beta cp313t: regressed to crash (was works-undeclared)",
                atom.getElementsByTagName("entry").item(0).getFirstChild().getTextContent());
    }

    @Test
    void apiDocumentsFollowTheDocumentedSchema() throws IOException {
        renderWithHistory();
        JsonNode m = JSON.readTree(site.resolve("api/v1/matrix.json").toFile());
        assertEquals(1, m.get("schema").asInt());
        assertEquals("[\"cp313\",\"cp313t\"]", m.get("variants").toString());
        JsonNode alpha = m.get("projects").get(0);
        assertEquals("alpha", alpha.get("name").asText());
        assertEquals("ready", alpha.get("verdicts").get("cp313t").asText());
        assertEquals("api/v1/projects/alpha.json", alpha.get("api").asText());
        JsonNode p = JSON.readTree(site.resolve(alpha.get("api").asText()).toFile());
        assertEquals(1, p.get("schema").asInt());
        assertEquals("ready", p.get("latest").get("variants").get("cp313t").get("verdict").asText());
        assertEquals(2, p.get("history").size());
        assertEquals("ft-failures", p.get("history").get(1).get("verdicts").get("cp313t").asText());
        String doc = Files.readString(Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("dashboard/API.md"));
        for (String field : List.of("schema", "matrix", "updated", "variants", "counts", "projects", "changedAt",
                "finishedAt", "verdicts", "latest", "history", "schemaVersion")) {
            assertTrue(doc.contains("`" + field + "`"), "API.md documents " + field);
        }
    }

    @Test
    void badgesForShieldsAndReadyMadeSvg() throws Exception {
        renderWithHistory();
        JsonNode badge = JSON.readTree(site.resolve("badges/beta/cp313t.json").toFile());
        assertEquals(1, badge.get("schemaVersion").asInt());
        assertEquals("cp313t", badge.get("label").asText());
        assertEquals("crash", badge.get("message").asText());
        assertTrue(badge.get("color").asText().matches("[0-9a-f]{6}"));
        Document svg = xml(site.resolve("badges/beta/cp313t.svg"));
        assertEquals("cp313t: crash", svg.getDocumentElement().getAttribute("aria-label"));
    }

    @Test
    void readinessChartIsAnAccessibleSvgWithTheLatestFigures() throws Exception {
        renderWithHistory();
        Document svg = xml(site.resolve("readiness.svg"));
        assertEquals("img", svg.getDocumentElement().getAttribute("role"));
        String desc = svg.getElementsByTagName("desc").item(0).getTextContent();
        // latest: alpha ready, beta crash, gamma build-failed on cp313t; alpha, beta ready on cp313
        assertTrue(desc.startsWith("Share of projects ready, latest: cp313 67%, cp313t 33%"), desc);
        assertEquals(2, svg.getElementsByTagName("polyline").getLength());
        assertTrue(Files.readString(site.resolve("index.html")).contains("alt=\"" + desc.replace("'", "&#39;")));
    }

    @Test
    void siteUsesRelativeLinksOnlySoItWorksOfflineAndFromAnyHost() throws IOException {
        renderWithHistory();
        Pattern link = Pattern.compile("(?:href|src)=\"?([^\" >]+)");
        try (Stream<Path> files = Files.walk(site)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = link.matcher(Files.readString(f));
                while (m.find()) {
                    String target = m.group(1);
                    assertFalse(target.matches("(?i)^([a-z]+:|/).*"), f + " links outside the site: " + target);
                    if (!target.startsWith("#")) {
                        assertTrue(Files.exists(f.getParent().resolve(target.replaceFirst("#.*", "")).normalize()),
                                f + " links to a missing file: " + target);
                    }
                }
            }
        }
    }

    @Test
    void indexOfAThousandProjectsStaysUnder300KB() throws IOException {
        List<CheckResult> results = Results.generated(1000, 7);
        new SiteRenderer().render("large", results, site);
        long size = Files.size(site.resolve("index.html"));
        assertTrue(size < 300 * 1024, "index.html is " + size + " bytes");
        try (Stream<Path> pages = Files.list(site.resolve("projects"))) {
            assertEquals(1000, pages.count());
        }
        System.out.println("index.html of 1000 projects x 4 variants: " + size + " bytes");
    }

    static Document xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void projectPageShowsTheSandboxAndTheRebuildWithAnUpgradedBindingLayer() throws IOException {
        CheckResult r = Results.of("pinned-cython", "2026-11-23T10:00:00Z",
                Results.verdicts("cp313", dev.ftmatrix.core.Verdict.READY, "cp313t", dev.ftmatrix.core.Verdict.BUILD_FAILED));
        new SiteRenderer().render("patches", List.of(r), Map.of(), site);
        String page = Files.readString(site.resolve("projects/pinned-cython.html"));
        assertTrue(page.contains("<th scope=\"row\">cython &gt;&#x3D;3.0,&lt;3.1 → 3.1.2</th>"), page);
        assertTrue(page.contains("build-failed: binding-layer-too-old"), "the pinned build's named cause");
        assertTrue(page.contains(">ready: 2 test(s) pass</td>"), "the upgraded build's verdict");
        assertTrue(page.contains("<dd>container (network none, limits)</dd>"), "where cp313t was built");
        assertTrue(page.contains("<dd>none (local processes)</dd>"), "where cp313 was built");
    }

    @Test
    void projectPageShowsWhereTheTimeWentAndFtmsShareOfIt() throws IOException {
        VariantResult plain = Results.variant(dev.ftmatrix.core.Variant.parse("cp313t"), READY);
        Map<String, Long> timings = new java.util.LinkedHashMap<>();
        timings.put("venv", 2000L);
        timings.put("build", 6000L);
        timings.put("import probe", 1000L);
        timings.put("tests concurrently", 1000L);
        timings.put("sandbox", 1500L);
        VariantResult timed = new VariantResult(plain.variant(), plain.toolchain(), plain.build(), plain.modules(),
                plain.gilEnabledAfterImport(), plain.gilReenabledBy(), plain.tests(), plain.verdict(),
                plain.verdictReason(), plain.sandbox(), plain.patched(), plain.importProbe(), plain.importErrors(),
                plain.collected(), plain.threadUnsafe(), plain.testRequirements(), timings);
        CheckResult r = new CheckResult(CheckResult.SCHEMA, "timed", "pypi:timed==1", "sha256:1", true, null, List.of(),
                new java.util.TreeMap<>(Map.of("cp313t", timed)), "2026-11-30T10:00:00Z");
        new SiteRenderer().render("timed", List.of(r), Map.of(), site);
        String page = Files.readString(site.resolve("projects/timed.html"));
        assertTrue(page.contains("10.0 s in all, 7.0 s the project&#39;s own build and tests, 30 % ftm&#39;s overhead"),
                page);
        assertTrue(page.contains("<th scope=\"row\">build</th><td>6.0</td><td>the project's</td>"), page);
        assertTrue(page.contains("<th scope=\"row\">venv</th><td>2.0</td><td>ftm's</td>"), page);
    }

    @Test
    void theHeaderDeltaGetsAPageLinkedFromTheIndexOnlyWhenGiven() throws IOException {
        CheckResult r = Results.of("alpha", "2026-11-23T10:00:00Z", Results.verdicts("cp313t", READY));
        new SiteRenderer().render("plain", List.of(r), Map.of(), site);
        assertFalse(Files.exists(site.resolve("abi.html")));
        assertFalse(Files.readString(site.resolve("index.html")).contains("abi.html"));

        new SiteRenderer().headerDeltas(List.of(DELTA)).render("with-abi", List.of(r), Map.of(), site);
        assertTrue(Files.readString(site.resolve("index.html")).contains("<a href=\"abi.html\">"));
        String page = Files.readString(site.resolve("abi.html"));
        assertTrue(page.contains(SiteRenderer.section(DELTA)), "the page shows the delta's section");
        assertTrue(page.contains("<a href=\"index.html\">"), "and links back to the matrix");
    }

    private static final HeaderDelta DELTA = new HeaderDelta(HeaderDelta.SCHEMA, "3.13.5",
            "cp313 3.13.5 (debian-source)", "cp313t 3.13.5 (debian-source)",
            List.of(new HeaderDelta.StructDelta("PyObject", "object.h", 120,
                            new HeaderDelta.Layout(16, 8, fields("ob_refcnt", 0L, "ob_type", 8L)),
                            new HeaderDelta.Layout(32, 8, fields("ob_tid", 0L, "ob_type", 24L)), true),
                    new HeaderDelta.StructDelta("PyLongObject", "longintrepr.h", 88,
                            new HeaderDelta.Layout(24, 8, Map.of()), new HeaderDelta.Layout(24, 8, Map.of()), false),
                    new HeaderDelta.StructDelta("_PyMutex", "lock.h", 7, null,
                            new HeaderDelta.Layout(1, 1, Map.of()), true)),
            List.of(new HeaderDelta.Definition("Py_INCREF", "inline", "object.h", 10, "a", 12, "b")),
            new HeaderDelta.Symbols("libpython3.13.so.1.0", "libpython3.13t.so.1.0", 1500, 1510,
                    List.of("_PyGIL_only"), List.of("_Py_brc_queue", "PyMutex_Lock")),
            List.of(new HeaderDelta.Guard("Python.h", 52, "defined(Py_LIMITED_API) && defined(Py_GIL_DISABLED)",
                    "The limited API is not currently supported <free-threaded>")));

    private static Map<String, Long> fields(String a, long at, String b, long bt) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put(a, at);
        m.put(b, bt);
        return m;
    }

    @Test
    void aHeaderDeltaSectionShowsTheStructsThatDifferAndEscapesWhatItQuotes() {
        String section = SiteRenderer.section(DELTA);
        assertTrue(section.startsWith("<section class=\"abi-delta\">\n<h2>GIL vs free-threaded ABI: CPython 3.13.5</h2>"),
                section);
        assertTrue(section.contains("<tr><td><code>PyObject</code></td><td>object.h:120</td><td>16</td><td>32</td>"
                + "<td>ob_refcnt, ob_type, ob_tid</td></tr>"), section);
        assertTrue(section.contains("<tr><td><code>_PyMutex</code></td><td>lock.h:7</td><td>-</td><td>1</td><td></td></tr>"),
                "a struct only one build has: a dash for the other, no fields moved");
        assertFalse(section.contains("PyLongObject"), "a struct laid out alike is not listed");
        assertTrue(section.contains("<li><code>Py_INCREF</code> (inline, object.h)</li>"), section);
        assertTrue(section.contains("<p>libpython3.13t.so.1.0: <code>_Py_brc_queue PyMutex_Lock</code></p>"), section);
        assertTrue(section.contains("not currently supported &lt;free-threaded&gt;"), section);
        assertTrue(section.contains("defined(Py_LIMITED_API) &amp;&amp; defined(Py_GIL_DISABLED)"), section);
        assertTrue(section.endsWith("</ul>\n</section>\n"), section);
    }
}
