package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.support.Digests;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Downloaded index files, verified against the index's sha256 and kept under {@code DIR/<sha256>/<filename>}. */
public final class PackageCache {
    private final Path dir;
    private final HttpClient http;
    private final Progress progress;

    public PackageCache(Path dir, HttpClient http, Progress progress) {
        this.dir = dir;
        this.http = http;
        this.progress = progress;
    }

    /** The file, from the cache when a copy with the right hash is there, else downloaded and verified. */
    public Path get(SimpleIndex.IndexFile f) {
        if (f.sha256() == null || !f.sha256().matches("[0-9a-f]{64}")) {
            throw new UserInputException("the index gives no sha256 for " + f.filename()
                    + "; refusing an unverified download");
        }
        if (f.filename().contains("/") || f.filename().contains("\\") || f.filename().startsWith(".")) {
            throw new UserInputException("the index names a file '" + f.filename() + "'; refusing that file name");
        }
        Path target = dir.resolve(f.sha256()).resolve(f.filename());
        try {
            if (Files.isRegularFile(target) && sha256(target).equals(f.sha256())) {
                return target;
            }
            Files.createDirectories(target.getParent());
            progress.report("download " + f.url());
            Path tmp = Files.createTempFile(target.getParent(), "download-", ".part");
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(f.url()).timeout(Duration.ofMinutes(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                Digests.Sha256 md = Digests.sha256();
                try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(tmp)) {
                    if (r.statusCode() != 200) {
                        throw new UserInputException("download of " + f.url() + " failed with HTTP " + r.statusCode());
                    }
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                String got = md.hex();
                if (!got.equals(f.sha256())) {
                    throw new UserInputException("download of " + f.filename() + " has sha256 " + got
                            + " but the index says " + f.sha256() + "; refusing it (retry, or check the index)");
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return target;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserInputException("cannot download " + f.url() + ": " + e + "; check the network", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + f.url(), e);
        }
    }

    /** The sha256 of a file, in lower-case hex. */
    public static String sha256(Path file) {
        return Digests.sha256(file);
    }
}
