package dev.ftmatrix.toolchain.internal;

import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.support.Processes;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds CPython from a source archive into {@code prefix}: configure with {@code --enable-shared} (and
 * {@code --disable-gil} for a free-threaded variant) and an rpath, make, then {@code make install} into a staging
 * root that is renamed into place, so a half-built toolchain never appears at {@code prefix}.
 */
public final class SourceBuild {
    private final Variant variant;
    private final Path archive;
    private final Path prefix;
    private final Path work;
    private final Progress progress;

    public SourceBuild(Variant variant, Path archive, Path prefix, Path buildRoot, Progress progress) {
        this.variant = variant;
        this.archive = archive;
        this.prefix = prefix.toAbsolutePath();
        this.work = buildRoot.resolve(variant.id() + "-" + ProcessHandle.current().pid());
        this.progress = progress;
    }

    public void call() {
        try {
            FileTrees.delete(work);
            Files.createDirectories(work);
            Path log = work.resolve("build.log");
            step("extract", List.of("tar", "-xf", archive.toString(), "-C", work.toString()), work, log);
            Path src;
            try (Stream<Path> s = Files.list(work)) {
                src = s.filter(p -> Files.isRegularFile(p.resolve("configure"))).findFirst()
                        .orElseThrow(() -> new UserInputException("toolchain source " + archive
                                + ": no CPython source tree (configure script) inside; give a CPython source tarball"));
            }
            String patch = Files.readString(src.resolve("Include/patchlevel.h"));
            if (!patch.contains("#define PY_VERSION              \"" + variant.version() + ".")
                    && !patch.matches("(?s).*#define PY_VERSION\\s+\"" + Pattern.quote(variant.version()) + "\\..*")) {
                throw new UserInputException("toolchain source " + archive + " is not CPython " + variant.version()
                        + "; give a " + variant.version() + " source archive for " + variant);
            }
            List<String> configure = new ArrayList<>(List.of("./configure", "--prefix=" + prefix, "--enable-shared",
                    "--with-ensurepip=install", "LDFLAGS=-Wl,-rpath," + prefix.resolve("lib")));
            if (variant.freeThreaded()) {
                configure.add(2, "--disable-gil");
            }
            step("configure", configure, src, log);
            int jobs = Runtime.getRuntime().availableProcessors();
            step("make -j" + jobs, List.of("make", "-j" + jobs), src, log);
            Path stage = work.resolve("stage");
            step("make install", List.of("make", "install", "DESTDIR=" + stage), src, log);
            Files.createDirectories(prefix.getParent());
            FileTrees.delete(prefix);
            Files.move(stage.resolve(prefix.toString().substring(1)), prefix, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(work);
        } catch (IOException e) {
            throw new UncheckedIOException("building " + variant + " from " + archive + " failed; log in " + work, e);
        }
    }

    private void step(String name, List<String> command, Path dir, Path log) {
        progress.report("[" + variant + "] " + name);
        AtomicInteger n = new AtomicInteger();
        long t0 = System.nanoTime();
        AtomicLong lastReport = new AtomicLong(t0);
        Processes.Run run = Processes.run(command, dir, Map.of(), log, line -> {
            n.incrementAndGet();
            long now = System.nanoTime();
            long last = lastReport.get();
            if (now - last > 15_000_000_000L && lastReport.compareAndSet(last, now)) {
                progress.report("[" + variant + "] " + name + ": " + n.get() + " lines, "
                        + (now - t0) / 1_000_000_000 + " s");
            }
        });
        if (run.exitCode() != 0) {
            String tail = run.output().lines().skip(Math.max(0, run.output().lines().count() - 15))
                    .reduce("", (a, b) -> a + "\n  " + b);
            throw new IllegalStateException("[" + variant + "] " + name + " failed (exit " + run.exitCode() + "); full log "
                    + log + "; last lines:" + tail);
        }
    }
}
