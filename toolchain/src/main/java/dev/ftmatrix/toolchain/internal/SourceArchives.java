package dev.ftmatrix.toolchain.internal;

import dev.ftmatrix.support.Processes;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Gets a CPython source archive: Debian's source package, a local tarball, or a URL; cached under {@code sources/}. */
public final class SourceArchives {
    private final Path dir;
    private final Progress progress;

    public SourceArchives(Path dir, Progress progress) {
        this.dir = dir;
        this.progress = progress;
    }

    public Path fetch(Variant variant, String source) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (source.equals("debian")) {
            return debian(variant);
        }
        if (source.startsWith("http://") || source.startsWith("https://")) {
            return download(source);
        }
        Path p = Path.of(source);
        if (!Files.isRegularFile(p)) {
            throw new UserInputException("--source " + source + ": no such file; give 'debian', a CPython source tarball"
                    + " (Python-3.X.Y.tar.xz) or its https URL");
        }
        return p.toAbsolutePath();
    }

    private Path debian(Variant variant) {
        String pkg = "python" + variant.version();
        Path d = dir.resolve("debian-" + pkg);
        Path found = origTarball(d, pkg);
        if (found != null) {
            return found;
        }
        progress.report("[" + variant + "] apt-get source --download-only " + pkg);
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Processes.Run run = Processes.run(List.of("apt-get", "source", "--download-only", pkg), d, Map.of(), null, l -> { });
        found = origTarball(d, pkg);
        if (run.exitCode() != 0 || found == null) {
            throw new UserInputException("toolchain " + variant + ": 'apt-get source --download-only " + pkg + "' failed ("
                    + run.output().strip().lines().reduce((a, b) -> b).orElse("no output") + "); run scripts/setup-host.sh"
                    + " (adds the trixie deb-src entry) or pass --source with a CPython " + variant.version() + " tarball");
        }
        return found;
    }

    private static Path origTarball(Path d, String pkg) {
        if (!Files.isDirectory(d)) {
            return null;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().matches(Pattern.quote(pkg) + "_[^_]+\\.orig\\.tar\\.(xz|gz|bz2)"))
                    .sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path download(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        if (!name.matches("[A-Za-z0-9._-]+\\.(tgz|tar\\.(gz|xz|bz2))")) {
            throw new UserInputException("--source " + url + ": not a CPython source tarball URL (Python-3.X.Y.tar.xz)");
        }
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        progress.report("downloading " + url);
        try {
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            Path tmp = Files.createTempFile(dir, name, ".part");
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofFile(tmp));
            if (r.statusCode() != 200) {
                Files.deleteIfExists(tmp);
                throw new UserInputException("--source " + url + ": HTTP " + r.statusCode() + "; check the URL");
            }
            return Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserInputException("--source " + url + ": cannot download (" + e.getMessage()
                    + "); download it yourself and pass the file", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
