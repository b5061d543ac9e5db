package dev.ftmatrix.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a file, held across processes (an OS file lock) and across the threads of this one (a file
 * lock is held by the process, so threads take turns on a lock of their own first).
 */
public final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** Something done while the lock is held. */
    @FunctionalInterface
    public interface Locked<T> {
        T call() throws IOException;
    }

    /** Runs {@code work} holding the lock of {@code lockFile} (created when missing, never deleted), waiting for it. */
    public static <T> T exclusively(Path lockFile, Locked<T> work) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock mine = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        mine.lock();
        try {
            Files.createDirectories(key.getParent());
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                return work.call();
            }
        } finally {
            mine.unlock();
        }
    }
}
