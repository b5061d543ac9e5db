package dev.ftmatrix.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.wheels.ReleaseVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A project's page on the package index (PEP 691 JSON), asked for again conditionally: with the {@code ETag} and
 * {@code Last-Modified} the index sent last time, so an unchanged project costs one request answered {@code 304}.
 * An index (or a proxy before it) that sends neither gets the whole page each time; then the page's
 * {@code meta._last-serial} (PyPI's serial of the project's last change) tells that nothing changed.
 */
final class IndexPages implements AutoCloseable {
    static final URI PYPI = URI.create("https://pypi.org/simple/");
    private static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A final release (no a/b/rc/dev): what tracking the latest release follows, as pip does by default. */
    private static final Pattern FINAL = Pattern.compile("\\d+(\\.\\d+)*(\\.post\\d+)?");

    private final URI index;
    private final HttpClient http;

    /** What identifies the version of a page the index sent: send it back to be told whether it changed. */
    record Validators(String etag, String lastModified, String serial) {
        static final Validators NONE = new Validators(null, null, null);
    }

    /** A release's sdist on the index: what a job of {@code pypi:NAME==VERSION} fetches. */
    record Release(String version, String filename, String sha256, String uploaded) {
        /** The fingerprint the source fetcher gives this release, as results store it. */
        String fingerprint() {
            return "sha256:" + sha256;
        }
    }

    /**
     * The index's answer: {@code changed} false when it said {@code 304} or sent the same serial ({@code how} says
     * which); otherwise the page's newest final release with an sdist (empty when it has none).
     */
    record Answer(boolean changed, String how, Validators validators, Optional<Release> latest, long bytes) {
    }

    /** The page is not there: a matrix naming a project the index does not have. */
    static final class NotOnIndex extends RuntimeException {
        NotOnIndex(String message) {
            super(message);
        }
    }

    IndexPages(URI index) {
        String s = index.toString();
        this.index = URI.create(s.endsWith("/") ? s : s + "/");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    URI index() {
        return index;
    }

    /** Asks for {@code project}'s page, conditionally on what {@code before} (from the last answer) says. */
    Answer ask(String project, Validators before) throws IOException, InterruptedException {
        URI page = index.resolve(normalize(project) + "/");
        HttpRequest.Builder req = HttpRequest.newBuilder(page).header("Accept", JSON_TYPE)
                .timeout(Duration.ofSeconds(60)).GET();
        if (before.etag() != null) {
            req.header("If-None-Match", before.etag());
        }
        if (before.lastModified() != null) {
            req.header("If-Modified-Since", before.lastModified());
        }
        HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 304) {
            return new Answer(false, "304 not modified", before, Optional.empty(), 0);
        }
        if (r.statusCode() == 404) {
            throw new NotOnIndex("project '" + project + "' is not on the package index " + index);
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() != 200 || !type.startsWith(JSON_TYPE)) {
            throw new IOException("the package index answered " + r.statusCode() + " (" + type + ") for " + page);
        }
        JsonNode root = JSON.readTree(r.body());
        String serial = root.path("meta").path("_last-serial").asText(null);
        Validators now = new Validators(r.headers().firstValue("ETag").orElse(null),
                r.headers().firstValue("Last-Modified").orElse(null), serial);
        if (serial != null && serial.equals(before.serial())) {
            return new Answer(false, "same serial " + serial + " (the index sent no ETag or Last-Modified)", now,
                    Optional.empty(), r.body().length);
        }
        return new Answer(true, "200", now, latest(project, root.path("files")), r.body().length);
    }

    /** The newest final release that has an sdist not yanked: by version, then by upload time. */
    static Optional<Release> latest(String project, JsonNode files) {
        String name = normalize(project);
        Release best = null;
        Comparator<Release> order = Comparator.<Release, ReleaseVersion>comparing(r -> new ReleaseVersion(r.version()))
                .thenComparing(r -> post(r.version()))
                // a .tar.gz before a .zip of the same version, as the source fetcher picks
                .thenComparing(r -> r.filename().endsWith(".tar.gz")).thenComparing(Release::uploaded);
        for (JsonNode f : files) {
            String filename = f.path("filename").asText();
            String ext = filename.endsWith(".tar.gz") ? ".tar.gz" : filename.endsWith(".zip") ? ".zip" : null;
            JsonNode yanked = f.path("yanked");
            String sha = f.path("hashes").path("sha256").asText(null);
            if (ext == null || sha == null || (yanked.isBoolean() ? yanked.asBoolean() : yanked.isTextual())) {
                continue;
            }
            String stem = filename.substring(0, filename.length() - ext.length());
            int dash = stem.lastIndexOf('-');
            if (dash <= 0 || !normalize(stem.substring(0, dash)).equals(name)) {
                continue;
            }
            String version = stem.substring(dash + 1);
            if (!FINAL.matcher(version).matches()) {
                continue;
            }
            Release r = new Release(version, filename, sha.toLowerCase(Locale.ROOT), f.path("upload-time").asText(""));
            if (best == null || order.compare(r, best) > 0) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int post(String version) {
        int i = version.indexOf(".post");
        return i < 0 ? -1 : Integer.parseInt(version.substring(i + 5));
    }

    /** PEP 503 normalisation: {@code MarkupSafe} and {@code markup_safe} are the same project. */
    static String normalize(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        http.close();
    }
}
