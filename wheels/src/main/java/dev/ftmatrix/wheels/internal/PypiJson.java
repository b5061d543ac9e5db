package dev.ftmatrix.wheels.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** PyPI's JSON API ({@code /pypi/NAME/json}): a project's releases and each release's files. Asked once per project. */
public final class PypiJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final URI base;
    private final HttpClient http;
    private final Map<String, Project> seen = new ConcurrentHashMap<>();

    /** One file of a release. */
    public record IndexFile(String filename, String url, String sha256, boolean yanked, String uploaded) {
    }

    /** A project: its name as the index spells it, the latest release, and every release's files (oldest first). */
    public record Project(String name, String latest, Map<String, List<IndexFile>> releases) {
    }

    public PypiJson(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    public static PypiJson pypi() {
        return new PypiJson(URI.create("https://pypi.org/pypi/"), HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build());
    }

    /** PEP 503 normalisation. */
    public static String normalize(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    public Project project(String name) {
        return seen.computeIfAbsent(normalize(name), this::ask);
    }

    /** The files of {@code version} of {@code name}, or a user error naming the versions there are. */
    public List<IndexFile> files(String name, String version) {
        Project p = project(name);
        List<IndexFile> files = p.releases().get(version);
        if (files == null) {
            List<String> vs = new ArrayList<>(p.releases().keySet());
            throw new UserInputException(name + " has no release " + version + " on the index; the latest is "
                    + p.latest() + (vs.size() > 1 ? " (" + vs.size() + " releases, from " + vs.getFirst() + ")" : ""));
        }
        return files;
    }

    private Project ask(String name) {
        URI page = base.resolve(URLEncoder.encode(name, StandardCharsets.UTF_8) + "/json");
        HttpResponse<byte[]> r = null;
        IOException last = null;
        for (int attempt = 0; attempt < 3 && r == null; attempt++) {
            try {
                r = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking " + page, e);
            }
        }
        if (r == null) {
            throw new IndexUnreachable("cannot reach the package index at " + page + ": " + last
                    + "; check the network", last);
        }
        if (r.statusCode() == 404) {
            throw new UserInputException("project '" + name + "' does not exist on the package index; check its name");
        }
        if (r.statusCode() != 200) {
            throw new IndexUnreachable("the package index answered " + r.statusCode() + " for " + page, null);
        }
        try {
            JsonNode root = MAPPER.readTree(r.body());
            Map<String, List<IndexFile>> releases = new LinkedHashMap<>();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            root.path("releases").properties().forEach(entries::add);
            // oldest first, by the first upload of each release (versions with no files sort last)
            entries.sort(Comparator.comparing(e -> e.getValue().isEmpty() ? "~"
                    : e.getValue().get(0).path("upload_time_iso_8601").asText("~")));
            for (Map.Entry<String, JsonNode> e : entries) {
                List<IndexFile> files = new ArrayList<>();
                for (JsonNode f : e.getValue()) {
                    // a mirror may answer with URLs relative to the page
                    files.add(new IndexFile(f.path("filename").asText(), page.resolve(f.path("url").asText()).toString(),
                            f.path("digests").path("sha256").asText(), f.path("yanked").asBoolean(false),
                            f.path("upload_time_iso_8601").asText("")));
                }
                releases.put(e.getKey(), List.copyOf(files));
            }
            return new Project(root.path("info").path("name").asText(name), root.path("info").path("version").asText(),
                    releases);
        } catch (IOException e) {
            throw new IndexUnreachable("the package index's answer for " + page + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** The index cannot be reached or answers nonsense: not the project's fault, not the user's input. */
    public static final class IndexUnreachable extends RuntimeException {
        public IndexUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
