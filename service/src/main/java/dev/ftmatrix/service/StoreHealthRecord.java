package dev.ftmatrix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.support.Digests;
import dev.ftmatrix.toolchain.Toolchains;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last state of an SQLite store file known to be healthy: its and its WAL's identity, size and change times, when
 * SQLite's quick check passed on it or when a process of ours that had checked it finished appending to it through
 * SQLite. A file in that state again is not checked again (the quick check reads every page: 3.5 s at 2.2 GB); any
 * write, truncation, copy or restore changes its size or times, and so is checked. Bit rot that changes no time is
 * found when the damaged page is read. Kept in {@code FTM_CACHE/store-health/}, never in the store's directory.
 */
final class StoreHealthRecord {
    private static final Logger LOG = LoggerFactory.getLogger(StoreHealthRecord.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A record made this soon after the file's last change is not trusted: a file system's clock has ticks of a few
     * milliseconds, so a second write within the same tick would leave the same times.
     */
    private static final Duration SETTLED = Duration.ofMillis(50);

    /** A file's identity, size and change times, and those of its WAL ({@code -1} when it has none or an empty one). */
    record State(String file, String key, long size, long modified, long changed, long walSize, long walModified,
                 long walChanged) {
    }

    /** A state known healthy, and when that was recorded. */
    record Entry(State state, long recordedAt) {
    }

    private StoreHealthRecord() {
    }

    /** The state of {@code file} now. */
    static State stateOf(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        long[] wal = {-1, -1, -1};
        Path walFile = abs.resolveSibling(abs.getFileName() + "-wal");
        try {
            BasicFileAttributes w = Files.readAttributes(walFile, BasicFileAttributes.class);
            if (w.size() > 0) {
                wal = new long[] {w.size(), nanos(w.lastModifiedTime()), changed(walFile)};
            }
        } catch (NoSuchFileException e) {
            // no WAL, or (below) an empty one as a read-only open leaves behind: every change is in the file itself
        }
        return new State(abs.toString(), String.valueOf(a.fileKey()), a.size(), nanos(a.lastModifiedTime()),
                changed(abs), wal[0], wal[1], wal[2]);
    }

    /** Whether {@code file} is in the state last recorded healthy (and that record was made after it settled). */
    static boolean healthy(Path file) {
        try {
            Path f = recordOf(file);
            if (!Files.isRegularFile(f)) {
                return false;
            }
            Entry e = JSON.readValue(f.toFile(), Entry.class);
            return e.state().equals(stateOf(file)) && e.recordedAt() - newest(e.state()) >= SETTLED.toNanos();
        } catch (IOException e) {
            LOG.debug("no usable health record of {}", file, e);   // a record we cannot read costs a check, nothing else
            return false;
        }
    }

    /**
     * Records {@code file}'s state now as healthy when it is still {@code checked} (the state the vouching was about;
     * null: whatever it is now), waiting until it has settled; does nothing when the file changed meanwhile.
     */
    static void record(Path file, State checked) {
        try {
            State now = stateOf(file);
            long wait = newest(now) + SETTLED.toNanos() - epochNanos();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
                State later = stateOf(file);
                if (!later.equals(now)) {
                    return;
                }
            }
            if (checked != null && !checked.equals(now)) {
                return;   // written to while it was checked: the check may not have seen it
            }
            Path f = recordOf(file);
            Files.createDirectories(f.getParent());
            if (!Files.exists(f)) {
                prune(f.getParent());
            }
            Path tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
            JSON.writeValue(tmp.toFile(), new Entry(now, epochNanos()));
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot record the health of {}: the next open checks it again", file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes the records of store files that are gone (temporary stores, moved ones): a new record is rare. */
    private static void prune(Path records) throws IOException {
        try (var all = Files.list(records)) {
            for (Path r : all.filter(p -> p.toString().endsWith(".json")).toList()) {
                try {
                    if (!Files.exists(Path.of(JSON.readValue(r.toFile(), Entry.class).state().file()))) {
                        Files.deleteIfExists(r);
                    }
                } catch (IOException e) {
                    Files.deleteIfExists(r);   // unreadable: worth nothing
                }
            }
        }
    }

    private static Path recordOf(Path file) {
        String abs = file.toAbsolutePath().normalize().toString();
        return Toolchains.defaultCacheRoot().resolve("store-health").resolve(Digests.sha256(abs).substring(0, 32)
                + ".json");
    }

    private static long newest(State s) {
        return Math.max(Math.max(s.modified(), s.changed()), Math.max(s.walModified(), s.walChanged()));
    }

    private static long changed(Path p) throws IOException {
        try {
            return nanos((FileTime) Files.getAttribute(p, "unix:ctime"));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return -1;   // no inode change time here: size and modification time still tell
        }
    }

    private static long nanos(FileTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static long epochNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
