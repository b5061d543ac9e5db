package dev.ftmatrix.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteServerTest {
    @TempDir
    Path tmp;

    /** Sends a raw request line, so that no client normalises the path first. */
    private static String raw(URI base, String path) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void servesFilesWithTheirTypesAndNothingOutsideTheSite() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>matrix</h1>");
        Files.createDirectories(site.resolve("badges/a"));
        Files.writeString(site.resolve("badges/a/cp313t.svg"), "<svg/>");
        Files.writeString(tmp.resolve("secret.txt"), "do not serve");
        try (SiteServer server = SiteServer.start(site, new InetSocketAddress("127.0.0.1", 0), new LiveProgress())) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> index = http.send(HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, index.statusCode());
            assertEquals("<h1>matrix</h1>", index.body());
            assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());
            HttpResponse<String> svg = http.send(HttpRequest.newBuilder(server.uri().resolve("badges/a/cp313t.svg")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("image/svg+xml", svg.headers().firstValue("Content-Type").orElseThrow());
            for (String escape : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/badges/../../secret.txt"}) {
                String response = raw(server.uri(), escape);
                assertTrue(response.startsWith("HTTP/1.1 404") || response.startsWith("HTTP/1.1 400"), escape + ": " + response);
                assertTrue(!response.contains("do not serve"), escape);
            }
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri()).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void aNulOrABadEscapeIsNotFoundAndLogsNoStackTrace() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>matrix</h1>");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try (SiteServer server = SiteServer.start(site, new InetSocketAddress("127.0.0.1", 0), new LiveProgress())) {
            for (String bad : new String[] {"/index.html%00.svg", "/%00", "/a%zz", "/%c0%ae%c0%ae/x"}) {
                String response = raw(server.uri(), bad);
                // the JDK's server answers 400 itself to an escape that is no URI at all
                assertTrue(response.startsWith("HTTP/1.1 404") || response.startsWith("HTTP/1.1 400"), bad + ": " + response);
            }
        } finally {
            System.setErr(old);
        }
        String logged = err.toString(StandardCharsets.UTF_8);
        assertTrue(!logged.contains("Exception") && !logged.contains("\tat "), logged);
    }

    @Test
    void symbolicLinksOutOfTheSiteAreNotFollowed() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>matrix</h1>");
        Files.writeString(tmp.resolve("secret.txt"), "do not serve");
        Files.createSymbolicLink(site.resolve("leak.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("outside"), tmp);
        Files.createSymbolicLink(site.resolve("home.html"), Path.of("index.html"));   // inside: fine
        try (SiteServer server = SiteServer.start(site, new InetSocketAddress("127.0.0.1", 0), new LiveProgress())) {
            for (String path : new String[] {"/leak.txt", "/outside/secret.txt"}) {
                String response = raw(server.uri(), path);
                assertTrue(response.startsWith("HTTP/1.1 404") && !response.contains("do not serve"), path + ": " + response);
            }
            assertTrue(raw(server.uri(), "/home.html").startsWith("HTTP/1.1 200"));
        }
    }
}
