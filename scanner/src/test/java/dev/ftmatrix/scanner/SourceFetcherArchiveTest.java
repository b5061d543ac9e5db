package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.internal.PackageCache;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFetcherArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void pypiSourceIsDownloadedVerifiedCachedAndExtracted() {
        List<String> lines = new ArrayList<>();
        SourceFetcher f = new SourceFetcher(tmp.resolve("cache"), lines::add);
        FetchedSource s = f.fetch("pypi:MarkupSafe==3.0.0", "", "", tmp.resolve("work"));
        assertTrue(Files.isRegularFile(s.dir().resolve("src/markupsafe/_speedups.c")), "the sdist's top directory is the root");
        Path cached = tmp.resolve("cache/sdists").resolve(s.fingerprint().substring(7)).resolve("markupsafe-3.0.0.tar.gz");
        assertEquals("sha256:" + PackageCache.sha256(cached), s.fingerprint());
        assertEquals("pypi:MarkupSafe==3.0.0", s.pinned());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("download ")).count());

        FetchedSource again = f.fetch("pypi:markupsafe==3.0.0", "", "", tmp.resolve("work"));
        assertEquals(s.fingerprint(), again.fingerprint());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("download ")).count(), "the second fetch uses the cache");
    }

    @Test
    void unknownVersionsAndMalformedPinsAreUserErrors() {
        SourceFetcher f = new SourceFetcher(tmp.resolve("cache"), l -> { });
        assertTrue(assertThrows(UserInputException.class,
                () -> f.fetch("pypi:markupsafe==0.0.0.404", "", "", tmp.resolve("w"))).getMessage().contains("no sdist"));
        assertTrue(assertThrows(UserInputException.class,
                () -> f.fetch("pypi:markupsafe", "", "", tmp.resolve("w"))).getMessage().contains("pypi:NAME==VERSION"));
    }

    /** A tiny PEP 691 index of our own serving one sdist, announced with {@code announcedSha}. */
    private HttpServer index(byte[] sdist, String announcedSha) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/simple/demo-pkg/", ex -> {
            byte[] body = ("{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"demo-pkg\",\"files\":[{\"filename\":"
                    + "\"demo_pkg-1.0.tar.gz\",\"url\":\"../../files/demo_pkg-1.0.tar.gz\",\"hashes\":{\"sha256\":\""
                    + announcedSha + "\"}}]}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/vnd.pypi.simple.v1+json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.createContext("/files/demo_pkg-1.0.tar.gz", ex -> {
            ex.sendResponseHeaders(200, sdist.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(sdist);
            }
        });
        server.start();
        return server;
    }

    private byte[] sdist() throws IOException {
        Path p = tmp.resolve("demo_pkg-1.0.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(p)))) {
            byte[] data = "[build-system]\nrequires = [\"setuptools\"]\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("demo_pkg-1.0/pyproject.toml");
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return Files.readAllBytes(p);
    }

    @Test
    void aConfiguredIndexIsUsedAndAWrongHashIsRefused() throws IOException {
        byte[] sdist = sdist();
        String good = PackageCache.sha256(tmp.resolve("demo_pkg-1.0.tar.gz"));
        HttpServer ok = index(sdist, good);
        try {
            URI url = URI.create("http://127.0.0.1:" + ok.getAddress().getPort() + "/simple");
            FetchedSource s = new SourceFetcher(tmp.resolve("cache"), l -> { }, url, ArchiveLimits.DEFAULT)
                    .fetch("pypi:Demo_Pkg==1.0", "", "", tmp.resolve("work"));
            assertEquals("sha256:" + good, s.fingerprint());
            assertTrue(Files.isRegularFile(s.dir().resolve("pyproject.toml")));
        } finally {
            ok.stop(0);
        }
        String wrong = "0".repeat(64);
        HttpServer bad = index(sdist, wrong);
        try {
            URI url = URI.create("http://127.0.0.1:" + bad.getAddress().getPort() + "/simple/");
            UserInputException e = assertThrows(UserInputException.class, () -> new SourceFetcher(tmp.resolve("cache2"),
                    l -> { }, url, ArchiveLimits.DEFAULT).fetch("pypi:demo-pkg==1.0", "", "", tmp.resolve("work2")));
            assertTrue(e.getMessage().contains("refusing it"), e.getMessage());
            try (Stream<Path> files = Files.walk(tmp.resolve("cache2"))) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "nothing unverified is kept");
            }
        } finally {
            bad.stop(0);
        }
    }

    @Test
    void aLocalSdistFileIsASource() throws IOException {
        sdist();
        FetchedSource s = new SourceFetcher(tmp.resolve("cache"), l -> { })
                .fetch(tmp.resolve("demo_pkg-1.0.tar.gz").toString(), "", "", tmp.resolve("work"));
        assertTrue(Files.isRegularFile(s.dir().resolve("pyproject.toml")));
        assertTrue(s.fingerprint().matches("sha256:[0-9a-f]{64}"));
    }
}
