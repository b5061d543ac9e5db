package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.support.Digests;
import dev.ftmatrix.support.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Copies a local project tree (without VCS metadata and build output) and fingerprints its content. */
public final class LocalTrees {
    private static final Set<String> SKIP = Set.of(".git", ".hg", "build", "dist", "target", "__pycache__", ".venv",
            ".tox", ".nox", ".pytest_cache", ".eggs");

    private LocalTrees() {
    }

    /** Replaces {@code to} with a copy of {@code from}; returns the sha256 over the copied paths and contents. */
    public static String copy(Path from, Path to) {
        try {
            FileTrees.delete(to);
            Files.createDirectories(to);
            Digests.Sha256 md = Digests.sha256();
            List<Path> files;
            try (Stream<Path> s = Files.walk(from)) {
                files = s.filter(p -> from.relativize(p).toString().isEmpty() || !skipped(from.relativize(p)))
                        .sorted().toList();
            }
            for (Path p : files) {
                Path rel = from.relativize(p);
                Path dst = to.resolve(rel.toString());
                if (Files.isSymbolicLink(p)) {
                    continue;   // a link may point outside the project; builds do not need them
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dst);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, dst);
                    md.update(rel.toString());
                    md.update(new byte[] {0});
                    md.update(Files.readAllBytes(p));
                }
            }
            return md.hex();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    private static boolean skipped(Path rel) {
        for (Path part : rel) {
            String n = part.toString();
            if (SKIP.contains(n) || n.endsWith(".egg-info")) {
                return true;
            }
        }
        return false;
    }
}
