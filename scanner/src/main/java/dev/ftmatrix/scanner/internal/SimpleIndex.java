package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.PublishedWheels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A package index through its Simple API in the JSON form of PEP 691, the one pip speaks: the list of a project's
 * files with their hashes.
 */
public final class SimpleIndex {
    public static final URI PYPI = URI.create("https://pypi.org/simple/");
    private static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final URI index;
    private final HttpClient http;
    private final Map<String, List<IndexFile>> seen = new ConcurrentHashMap<>();

    /** One file of a project on the index. */
    public record IndexFile(String filename, URI url, String sha256, boolean yanked) {
    }

    public SimpleIndex(URI index, HttpClient http) {
        String s = index.toString();
        this.index = URI.create(s.endsWith("/") ? s : s + "/");
        this.http = http;
    }

    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    public URI uri() {
        return index;
    }

    /** PEP 503 normalisation: {@code MarkupSafe} and {@code markup_safe} are the same project. */
    public static String normalize(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    /** Every file the index lists for {@code project}, in the index's order; asked once per instance. */
    public List<IndexFile> files(String project) {
        return seen.computeIfAbsent(normalize(project), this::ask);
    }

    private List<IndexFile> ask(String project) {
        URI page = index.resolve(normalize(project) + "/");
        HttpResponse<byte[]> r;
        try {
            r = http.send(HttpRequest.newBuilder(page).header("Accept", JSON_TYPE).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PublishedWheels.IndexUnreachable("cannot reach the package index " + index
                    + ": " + e + "; check the network or give another index URL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + page, e);
        }
        if (r.statusCode() == 404) {
            throw new PublishedWheels.NotOnIndex("project '" + project
                    + "' does not exist on the package index " + index + "; check its name");
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() != 200 || !type.startsWith(JSON_TYPE)) {
            throw new UserInputException("the package index " + index + " answered " + r.statusCode() + " ("
                    + type + ") for " + page + "; it must serve the PEP 691 JSON Simple API");
        }
        try {
            JsonNode root = MAPPER.readTree(r.body());
            List<IndexFile> out = new ArrayList<>();
            for (JsonNode f : root.path("files")) {
                JsonNode yanked = f.path("yanked");
                String sha = f.path("hashes").path("sha256").asText(null);
                out.add(new IndexFile(f.path("filename").asText(), page.resolve(f.path("url").asText()),
                        sha == null ? null : sha.toLowerCase(Locale.ROOT),
                        yanked.isBoolean() ? yanked.asBoolean() : yanked.isTextual()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UserInputException("the package index " + index + " sent unreadable JSON for " + page + ": "
                    + e.getMessage(), e);
        }
    }
}
