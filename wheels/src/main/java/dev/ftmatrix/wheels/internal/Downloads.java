package dev.ftmatrix.wheels.internal;

import dev.ftmatrix.support.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Wheels from the index into a cache keyed by their sha256, verified; each is downloaded once. */
public final class Downloads {
    private final Path root;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    public Downloads(Path root) {
        this.root = root;
    }

    /** The file, from the cache or the index; an unreachable index or a wrong digest is ftm's failure to get it. */
    public Path get(PypiJson.IndexFile f) {
        Path dir = root.resolve(f.sha256().isEmpty() ? "unhashed" : f.sha256());
        Path target = dir.resolve(f.filename());
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, f.filename(), ".part");
            try {
                HttpResponse<Path> r = null;
                IOException last = null;
                for (int attempt = 0; attempt < 3 && r == null; attempt++) {
                    try {
                        r = http.send(HttpRequest.newBuilder(URI.create(f.url())).timeout(Duration.ofMinutes(10)).GET()
                                .build(), HttpResponse.BodyHandlers.ofFile(part));
                    } catch (IOException e) {
                        last = e;
                    }
                }
                if (r == null || r.statusCode() != 200) {
                    throw new IllegalStateException("cannot download " + f.url() + ": "
                            + (r == null ? last : "HTTP " + r.statusCode()));
                }
                String got = Digests.sha256(part);
                if (!f.sha256().isEmpty() && !got.equals(f.sha256())) {
                    throw new IllegalStateException(f.filename() + " from the index has sha256 " + got + ", but the index"
                            + " lists " + f.sha256());
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return target;
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + f.filename() + " under " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + f.url(), e);
        }
    }
}
