package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Verdict;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteAndServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void siteRendersTheStoreWithHistory() throws Exception {
        Path results = tmp.resolve("results");
        try (ResultStore store = new ResultStore(results)) {
            store.put(ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.FT_FAILURES));
            store.put(ResultStoreTest.result("alpha", "2026-11-02T10:00:00Z", "git:2", Verdict.READY));
        }
        Path out = tmp.resolve("site");
        assertEquals(Ftm.OK, Ftm.run("site", "--results", results.toString(), "--out", out.toString(), "--name", "t"));
        JsonNode p = new ObjectMapper().readTree(out.resolve("api/v1/projects/alpha.json").toFile());
        assertEquals(2, p.get("history").size());
        assertEquals("newly-ready", new ObjectMapper().readTree(out.resolve("feed.json").toFile())
                .get("changes").get(0).get("kind").asText());
        assertTrue(Files.readString(out.resolve("index.html")).contains("Free-threading readiness: t"));
    }

    @Test
    void siteWithoutAStoreIsABadInput() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("site", "--results", tmp.resolve("none").toString(), "--out",
                tmp.resolve("site").toString()));
    }

    @Test
    void serveShowsResultsThatAnotherWriterStoresWhileItRuns() throws Exception {
        Path results = tmp.resolve("results");
        try (ResultStore store = new ResultStore(results)) {
            store.put(ResultStoreTest.result("alpha", "2026-11-01T10:00:00Z", "git:1", Verdict.READY));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ServeCommand serve = new ServeCommand();
        picocli.CommandLine cl = new picocli.CommandLine(serve);
        cl.parseArgs("--results", results.toString(), "--site", tmp.resolve("site").toString(), "--port",
                Integer.toString(port), "--poll", "1");
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        try (ExecutorService ex = Executors.newSingleThreadExecutor()) {
            Future<Integer> running = ex.submit(serve::call);
            try {
                String index = waitFor(http, base.resolve("index.html"), body -> body.contains("alpha"));
                assertTrue(index.contains("<td class=r>ready</td>"), index);
                try (ResultStore other = new ResultStore(results)) {   // e.g. `ftm run` in another terminal
                    other.put(ResultStoreTest.result("beta", "2026-11-02T10:00:00Z", "git:b", Verdict.CRASH));
                }
                waitFor(http, base.resolve("index.html"), body -> body.contains("projects/beta.html"));
                String live = waitFor(http, base.resolve("live/progress.json"), body -> body.contains("stored beta"));
                assertTrue(live.contains("stored beta: cp313t crash"), live);
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(base.resolve("../../etc/passwd")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, missing.statusCode());
            } finally {
                serve.stop();   // also when an assertion failed: else closing the executor waits for ever
            }
            assertEquals(Ftm.OK, running.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void serveRunsAMatrixAndTheLivePageFollowsIt() throws Exception {
        Path root = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath();
        StringBuilder yaml = new StringBuilder("schema: 1\nname: live\nvariants: [cp39]\nprojects:\n");
        for (String f : new String[] {"ft-ready", "ft-undeclared"}) {
            // every key spelled out: MatrixFile currently insists on them (see the report)
            yaml.append("  - {name: ").append(f).append(", source: \"path:").append(root.resolve("fixtures").resolve(f))
                    .append("\", ref: null, subdirectory: null, variants: null, env: null, tests: null, patches: null}\n");
        }
        Path matrix = Files.writeString(tmp.resolve("live.yaml"), yaml);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--results", tmp.resolve("results").toString(), "--site",
                tmp.resolve("site").toString(), "--port", Integer.toString(port), "--poll", "1", "--run",
                matrix.toString(), "--no-install");
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        try (ExecutorService ex = Executors.newSingleThreadExecutor()) {
            Future<Integer> running = ex.submit(serve::call);
            try {
                String live = waitFor(http, base.resolve("live/progress.json"), body -> body.contains("run of live finished"));
                JsonNode p = new ObjectMapper().readTree(live);
                assertEquals(false, p.get("running").asBoolean());
                assertEquals(2, p.get("done").asInt());
                assertEquals(2, p.get("total").asInt());
                assertTrue(live.contains("(2/2) ft-undeclared"), live);
                String index = waitFor(http, base.resolve("index.html"), body -> body.contains("projects/ft-undeclared.html"));
                assertTrue(index.contains("Free-threading readiness: live"), index);
                assertTrue(index.contains("<td class=s>skipped</td>"), "cp39 has no toolchain: " + index);
                assertTrue(waitFor(http, base.resolve("live/"), body -> true).contains("<h1>Live run</h1>"));
            } finally {
                serve.stop();
            }
            assertEquals(Ftm.OK, running.get(30, TimeUnit.SECONDS));
        }
    }

    /** Polls until the page satisfies {@code ok}; fails after a minute. */
    private static String waitFor(HttpClient http, URI uri, Predicate<String> ok) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && ok.test(r.body())) {
                    return r.body();
                }
            } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
                last = "not listening yet: " + e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(uri + " never showed what was expected; last: " + last);
    }
}
