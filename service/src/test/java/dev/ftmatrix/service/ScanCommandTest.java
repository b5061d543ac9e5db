package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    @TempDir
    Path tmp;

    private JsonNode scan(String source, String... more) throws Exception {
        Path out = tmp.resolve("scan.json");
        Files.deleteIfExists(out);
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"scan", source, "--json", out.toString(), "--cache", tmp.resolve("cache").toString()},
                0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        assertEquals(Ftm.OK, Ftm.run(args));
        return new ObjectMapper().readTree(out.toFile());
    }

    @Test
    void scansTheReadyFixtureAndWritesJson() throws Exception {
        Path fixture = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures/ft-ready");
        JsonNode j = scan(fixture.toString(), "--no-wheels");
        assertEquals(1, j.path("schema").asInt());
        assertTrue(j.path("declaresFreeThreading").asBoolean(), j.toString());
        assertEquals("not-used", j.path("modules").path(0).path("declaration").asText());
        assertTrue(j.path("publishedWheels").isNull());
    }

    @Test
    void markupsafeReleasesFromPypi() throws Exception {
        JsonNode ready = scan("pypi:markupsafe==3.0.0");
        assertTrue(ready.path("declaresFreeThreading").asBoolean());
        assertEquals("c-api", ready.path("modules").path(0).path("bindingLayer").asText());
        assertTrue(ready.path("publishedWheels").path("variants").path("cp313t").path("available").asBoolean());

        JsonNode old = scan("pypi:markupsafe==2.1.5");
        assertEquals(false, old.path("declaresFreeThreading").asBoolean(true));
        assertEquals("absent", old.path("modules").path(0).path("declaration").asText());

        JsonNode again = scan("pypi:markupsafe==3.0.0");
        assertEquals(ready.path("modules"), again.path("modules"), "the kept scan is the same scan");
    }

    @Test
    void againstWheelComparesTheModulesWithTheReleasesLinuxWheel() throws Exception {
        JsonNode j = scan("pypi:markupsafe==3.0.0", "--against-wheel", "--no-wheels");
        JsonNode a = j.path("againstWheel");
        assertTrue(a.path("matches").asBoolean(), a.toString());
        assertTrue(a.path("wheel").asText().contains("-cp313-cp313-manylinux"), a.toString());
        assertEquals("markupsafe._speedups", a.path("wheelModules").path(0).asText());
        assertEquals("shipped", j.path("modules").path(0).path("role").asText());
        JsonNode again = scan("pypi:markupsafe==3.0.0", "--no-wheels");
        assertTrue(again.path("againstWheel").isMissingNode() || again.path("againstWheel").isNull(),
                "the kept scan does not keep the comparison");
    }

    @Test
    void aReleaseWithoutExtensionModulesOnLinuxHasNothingToDeclare() throws Exception {
        // watchdog 6.0.0 builds its one extension on macOS only: "unknown" would say something went unread
        String out = stdout(() -> scan("pypi:watchdog==6.0.0", "--no-wheels"));
        assertTrue(out.contains("declares free-threading: nothing to declare: the scan finds no extension module built"
                + " for Linux CPython; not counted: 1 other-platform"), out);
    }

    @Test
    void aBadSourceIsAUserError() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("scan", "pypi:markupsafe", "--cache", tmp.resolve("c").toString()));
        assertEquals(Ftm.BAD_INPUT, Ftm.run("scan", tmp.resolve("missing").toString(), "--cache",
                tmp.resolve("c").toString()));
    }

    @Test
    void aLocalProjectNotOnTheIndexIsScannedAndSaysSo() throws Exception {
        Path fixture = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures/ft-ready");
        com.sun.net.httpserver.HttpServer index = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        index.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        index.start();
        try {
            String url = "http://127.0.0.1:" + index.getAddress().getPort() + "/simple/";
            String out = stdout(() -> scan(fixture.toString(), "--index-url", url));
            assertTrue(out.contains("'ft-ready' is not on the index " + url), out);
        } finally {
            index.stop(0);
        }
    }

    @Test
    void aLocalProjectScansOffline() throws Exception {
        Path fixture = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures/ft-ready");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();   // closed again: nothing listens there
        }
        String out = stdout(() -> scan(fixture.toString(), "--index-url", "http://127.0.0.1:" + port + "/simple/"));
        assertTrue(out.contains("declares free-threading: yes") && out.contains("cannot be reached"), out);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static String stdout(Body body) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
