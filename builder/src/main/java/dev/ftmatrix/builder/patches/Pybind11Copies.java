package dev.ftmatrix.builder.patches;

import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Puts pybind11's headers of a given release where a project vendors them ({@code DIR/include/pybind11/...}), taken
 * from that release's wheel on PyPI: how ftm replaces a vendored copy, and how fixtures get their old one.
 */
public final class Pybind11Copies {
    private Pybind11Copies() {
    }

    /**
     * @param python an interpreter with pip (on the host: this downloads)
     * @return the pip run, failed when the release cannot be downloaded
     */
    public static Processes.Run install(String version, Path dir, Path python, Path pipCache, Path log) {
        try {
            Path dl = Files.createTempDirectory("ftm-pybind11-");
            Processes.Run r = Processes.run(List.of(python.toString(), "-m", "pip", "download", "--no-deps",
                    "--only-binary", ":all:", "-d", dl.toString(), "pybind11==" + version), dl,
                    Map.of("PIP_CACHE_DIR", pipCache.toString(), "PIP_DISABLE_PIP_VERSION_CHECK", "1"), log, l -> { },
                    Duration.ofMinutes(5));
            if (!r.ok()) {
                return r;
            }
            Path wheel;
            try (Stream<Path> s = Files.list(dl)) {
                wheel = s.filter(p -> p.toString().endsWith(".whl")).findFirst().orElseThrow();
            }
            FileTrees.delete(dir.resolve("include"));
            try (ZipFile z = new ZipFile(wheel.toFile())) {
                for (ZipEntry e : Collections.list(z.entries())) {
                    String n = e.getName();
                    if (!n.startsWith("pybind11/include/pybind11/") || e.isDirectory() || n.contains("..")) {
                        continue;
                    }
                    Path to = dir.resolve(n.substring("pybind11/".length()));
                    Files.createDirectories(to.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, to);
                    }
                }
            }
            FileTrees.delete(dl);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
