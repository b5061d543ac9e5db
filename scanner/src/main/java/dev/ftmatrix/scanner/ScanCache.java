package dev.ftmatrix.scanner;

import dev.ftmatrix.support.Digests;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Scans kept by the source's fingerprint: an unchanged source (same commit or sha256, same subdirectory, same
 * scanner rules) is not scanned again. Published wheels are not kept: the index changes.
 */
public final class ScanCache {
    /** Raise when the scanner's rules change, so that older scans are redone. */
    static final int RULES = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public ScanCache(Path dir) {
        this.dir = dir;
    }

    public Optional<ProjectScan> get(SourcePin source) {
        Path p = file(source);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(p.toFile(), ProjectScan.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the cached scan " + p + " is unreadable; delete it", e);
        }
    }

    public void put(SourcePin source, ProjectScan scan) {
        Path p = file(source);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "scan-", ".tmp");
            JSON.writeValue(tmp.toFile(), scan.withPublishedWheels(null).withAgainstWheel(null));
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the scan in " + dir, e);
        }
    }

    private Path file(SourcePin source) {
        return dir.resolve(Digests.sha256(source.fingerprint() + "\n" + source.pinned() + "\n" + ProjectScan.SCHEMA
                + "." + RULES) + ".json");
    }
}
