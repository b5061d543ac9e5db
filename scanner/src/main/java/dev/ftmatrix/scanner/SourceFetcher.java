package dev.ftmatrix.scanner;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.internal.GitSources;
import dev.ftmatrix.scanner.internal.LocalTrees;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gets a project's source into a work directory and pins it: {@code git+URL} (with a ref), {@code path:DIR} or a
 * plain directory. Git repositories are cached as bare clones under {@code CACHE/git}.
 */
public final class SourceFetcher {
    private final Path cache;
    private final Progress progress;

    public SourceFetcher(Path cacheRoot, Progress progress) {
        this.cache = cacheRoot;
        this.progress = progress;
    }

    /** Fetches {@code source} at {@code ref} into {@code workDir} (replaced), then descends into {@code subdirectory}. */
    public FetchedSource fetch(String source, String ref, String subdirectory, Path workDir) {
        FetchedSource root;
        if (source.startsWith("git+")) {
            root = new GitSources(cache.resolve("git"), progress).fetch(source.substring(4), ref, workDir);
        } else {
            Path dir = Path.of(source.startsWith("path:") ? source.substring(5) : source).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new UserInputException("source " + source + ": no such directory; give a project directory, "
                        + "git+URL or path:DIR");
            }
            String sha = LocalTrees.copy(dir, workDir);
            root = new FetchedSource(workDir, "sha256:" + sha, "path:" + dir);
        }
        if (subdirectory == null || subdirectory.isEmpty()) {
            return root;
        }
        Path sub = root.dir().resolve(subdirectory).normalize();
        if (!sub.startsWith(root.dir()) || !Files.isDirectory(sub)) {
            throw new UserInputException("subdirectory '" + subdirectory + "' of " + source
                    + " does not exist inside the source; fix the matrix's subdirectory");
        }
        return new FetchedSource(sub, root.fingerprint(), root.pinned() + "#" + subdirectory);
    }
}
