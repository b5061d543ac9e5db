package dev.ftmatrix.scanner;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.internal.ArchiveSources;
import dev.ftmatrix.scanner.internal.GitSources;
import dev.ftmatrix.scanner.internal.LocalTrees;
import dev.ftmatrix.scanner.internal.PackageCache;
import dev.ftmatrix.scanner.internal.SafeExtractor;
import dev.ftmatrix.scanner.internal.SimpleIndex;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Gets a project's source into a work directory and pins it: {@code git+URL} (with a ref), {@code pypi:NAME==VERSION}
 * (the release's sdist from the package index), a local sdist/zip/wheel file, {@code path:DIR} or a plain directory.
 * Git repositories are cached as bare clones under {@code CACHE/git}, downloads by sha256 under {@code CACHE/sdists}.
 * One instance asks the index and updates a git mirror once per source.
 */
public final class SourceFetcher {
    /** The default package index: PyPI's Simple API. */
    public static final URI PYPI = SimpleIndex.PYPI;
    private final Path cache;
    private final Progress progress;
    private final URI index;
    private final ArchiveLimits limits;
    private GitSources git;
    private ArchiveSources archives;

    public SourceFetcher(Path cacheRoot, Progress progress) {
        this(cacheRoot, progress, PYPI, ArchiveLimits.DEFAULT);
    }

    /** With the package index to download {@code pypi:} sources from and the limits for unpacking archives. */
    public SourceFetcher(Path cacheRoot, Progress progress, URI index, ArchiveLimits limits) {
        this.cache = cacheRoot;
        this.progress = progress;
        this.index = index;
        this.limits = limits;
    }

    private synchronized GitSources git() {
        if (git == null) {
            git = new GitSources(cache.resolve("git"), progress);
        }
        return git;
    }

    private synchronized ArchiveSources archives() {
        if (archives == null) {
            var http = SimpleIndex.defaultClient();
            archives = new ArchiveSources(new SimpleIndex(index, http),
                    new PackageCache(cache.resolve("sdists"), http, progress), new SafeExtractor(limits));
        }
        return archives;
    }

    /**
     * The fingerprint {@link #fetch} would give, found without fetching the tree (the index's hash, the git ref's
     * commit, an archive file's sha256); empty for a plain directory, whose fingerprint needs its content.
     */
    public Optional<SourcePin> pin(String source, String ref, String subdirectory) {
        SourcePin root;
        if (source.startsWith("git+")) {
            String url = source.substring(4);
            String commit = git().resolve(url, ref);
            root = new SourcePin("git:" + commit, "git+" + url + "@" + commit);
        } else if (source.startsWith("pypi:")) {
            ArchiveSources.Pin p = ArchiveSources.Pin.parse(source.substring(5));
            root = new SourcePin(archives().fingerprintOfPypi(source.substring(5)),
                    "pypi:" + p.name() + "==" + p.version());
        } else {
            Path file = localPath(source);
            if (!archive(file)) {
                return Optional.empty();
            }
            root = new SourcePin("sha256:" + PackageCache.sha256(file), "path:" + file);
        }
        return Optional.of(subdirectory == null || subdirectory.isEmpty() ? root
                : new SourcePin(root.fingerprint(), root.pinned() + "#" + subdirectory));
    }

    /** Fetches {@code source} at {@code ref} into {@code workDir} (replaced), then descends into {@code subdirectory}. */
    public FetchedSource fetch(String source, String ref, String subdirectory, Path workDir) {
        FetchedSource root;
        if (source.startsWith("git+")) {
            root = git().fetch(source.substring(4), ref, workDir);
        } else if (source.startsWith("pypi:")) {
            root = archives().fetchPypi(source.substring(5), workDir);
        } else {
            Path dir = localPath(source);
            if (archive(dir)) {
                root = archives().fetchFile(dir, workDir);
            } else if (!Files.isDirectory(dir)) {
                throw new UserInputException("source " + source + ": no such directory or archive; give a project "
                        + "directory, an sdist/zip/wheel file, git+URL or pypi:NAME==VERSION");
            } else {
                String sha = LocalTrees.copy(dir, workDir);
                root = new FetchedSource(workDir, "sha256:" + sha, "path:" + dir);
            }
        }
        if (subdirectory == null || subdirectory.isEmpty()) {
            return root;
        }
        Path sub;
        try {
            sub = root.dir().resolve(subdirectory).normalize();
        } catch (InvalidPathException e) {
            throw new UserInputException("subdirectory '" + subdirectory + "' of " + source + " is not a path ("
                    + e.getReason() + "); fix the matrix's subdirectory");
        }
        if (!sub.startsWith(root.dir()) || !Files.isDirectory(sub)) {
            throw new UserInputException("subdirectory '" + subdirectory + "' of " + source
                    + " does not exist inside the source; fix the matrix's subdirectory");
        }
        return new FetchedSource(sub, root.fingerprint(), root.pinned() + "#" + subdirectory);
    }

    private static Path localPath(String source) {
        try {
            return Path.of(source.startsWith("path:") ? source.substring(5) : source).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UserInputException("source " + source + " is not a path (" + e.getReason() + "); give a project "
                    + "directory, an sdist/zip/wheel file, git+URL or pypi:NAME==VERSION");
        }
    }

    private static boolean archive(Path p) {
        return Files.isRegularFile(p) && SafeExtractor.kind(p.getFileName().toString()) != null;
    }
}
