package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.support.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Sources that are archives: {@code pypi:NAME==VERSION} (the release's sdist) and local sdist, zip or wheel files. */
public final class ArchiveSources {
    private static final Pattern PIN = Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==([^\\s=,;]+)");
    private final SimpleIndex index;
    private final PackageCache downloads;
    private final SafeExtractor extractor;

    public ArchiveSources(SimpleIndex index, PackageCache downloads, SafeExtractor extractor) {
        this.index = index;
        this.downloads = downloads;
        this.extractor = extractor;
    }

    /** A parsed {@code NAME==VERSION}. */
    public record Pin(String name, String version) {
        public static Pin parse(String spec) {
            Matcher m = PIN.matcher(spec.trim());
            if (!m.matches()) {
                throw new UserInputException("source pypi:" + spec + ": write it as pypi:NAME==VERSION, e.g. "
                        + "pypi:markupsafe==3.0.0");
            }
            return new Pin(m.group(1), m.group(2));
        }
    }

    /** The fingerprint of {@code NAME==VERSION}'s sdist, from the index's hash, without downloading it. */
    public String fingerprintOfPypi(String spec) {
        return "sha256:" + sdist(index.files(Pin.parse(spec).name()), Pin.parse(spec)).sha256();
    }

    /** The sdist of {@code NAME==VERSION} from the index, verified, extracted into {@code workDir}. */
    public FetchedSource fetchPypi(String spec, Path workDir) {
        Pin pin = Pin.parse(spec);
        SimpleIndex.IndexFile sdist = sdist(index.files(pin.name()), pin);
        Path archive = downloads.get(sdist);
        Path root = unpack(archive, workDir);
        return new FetchedSource(root, "sha256:" + sdist.sha256(), "pypi:" + pin.name() + "==" + pin.version());
    }

    /** A local archive file, extracted into {@code workDir}. */
    public FetchedSource fetchFile(Path archive, Path workDir) {
        String sha = PackageCache.sha256(archive);
        return new FetchedSource(unpack(archive, workDir), "sha256:" + sha, "path:" + archive.toAbsolutePath());
    }

    /** Picks the release's sdist: a {@code .tar.gz} before a {@code .zip}; a yanked one only when nothing else. */
    static SimpleIndex.IndexFile sdist(List<SimpleIndex.IndexFile> files, Pin pin) {
        String name = SimpleIndex.normalize(pin.name());
        List<SimpleIndex.IndexFile> candidates = files.stream().filter(f -> {
            String kind = SafeExtractor.kind(f.filename());
            if (kind == null || f.filename().endsWith(".whl")) {
                return false;
            }
            String stem = f.filename().substring(0, f.filename().length() - kind.length() - 1);
            int dash = stem.lastIndexOf('-');
            return dash > 0 && SimpleIndex.normalize(stem.substring(0, dash)).equals(name)
                    && stem.substring(dash + 1).equalsIgnoreCase(pin.version());
        }).sorted(Comparator.comparing((SimpleIndex.IndexFile f) -> f.yanked())
                .thenComparing(f -> !f.filename().endsWith(".tar.gz"))).toList();
        if (candidates.isEmpty()) {
            throw new UserInputException("pypi:" + pin.name() + "==" + pin.version() + ": the index has no sdist of"
                    + " that version; check the version (a wheel-only release cannot be scanned as source)");
        }
        return candidates.getFirst();
    }

    /** Extracts into {@code workDir} (replaced); an sdist's single top directory becomes the root. */
    private Path unpack(Path archive, Path workDir) {
        try {
            Path staging = workDir.resolveSibling(workDir.getFileName() + ".extract");
            FileTrees.delete(staging);
            Files.createDirectories(workDir.toAbsolutePath().getParent());
            // the previous tree (numpy's: 7,700 files) goes while the new one is extracted: on two cores, ~2 s less
            CompletableFuture<Void> old = CompletableFuture.runAsync(
                    () -> FileTrees.delete(workDir));
            try {
                extractor.extract(archive, staging);
            } catch (RuntimeException e) {
                old.exceptionally(x -> null).join();   // the extraction's failure is the one to report
                throw e;
            }
            try {
                old.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            List<Path> top;
            try (Stream<Path> s = Files.list(staging)) {
                top = s.toList();
            }
            if (top.size() == 1 && Files.isDirectory(top.getFirst(), LinkOption.NOFOLLOW_LINKS)
                    && !archive.getFileName().toString().endsWith(".whl")) {
                Files.move(top.getFirst(), workDir);
                Files.delete(staging);
            } else {
                Files.move(staging, workDir);
            }
            return workDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place the extracted " + archive + " at " + workDir, e);
        }
    }
}
