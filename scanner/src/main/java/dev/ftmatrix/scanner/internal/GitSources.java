package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.support.Digests;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.support.FileLocks;
import dev.ftmatrix.support.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FileUtils;

/** Git sources through JGit: a bare mirror per URL in the cache, fetched, then a clean work tree at the commit. */
public final class GitSources {
    private final Path mirrors;
    private final Progress progress;
    private final Set<String> updated = new HashSet<>();

    public GitSources(Path mirrors, Progress progress) {
        this.mirrors = mirrors;
        this.progress = progress;
    }

    /** Updates the mirror of {@code url} (once per instance) and resolves {@code ref} to a commit id. */
    public String resolve(String url, String ref) {
        String want = ref == null || ref.isEmpty() ? "HEAD" : ref;
        Path bare = mirror(url);
        try (Git g = Git.open(bare.toFile())) {
            Repository r = g.getRepository();
            ObjectId commit = r.resolve(want + "^{commit}");
            if (commit == null) {
                throw new UserInputException("git ref '" + want + "' of " + url + " does not exist; give a branch,"
                        + " tag or commit id that the repository has");
            }
            return commit.name();
        } catch (IOException e) {
            throw new UncheckedIOException("git source " + url, e);
        }
    }

    public FetchedSource fetch(String url, String ref, Path workDir) {
        String commit = resolve(url, ref);
        Path bare = mirror(url);
        try {
            FileTrees.delete(workDir);
            try (Git wt = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(workDir.toFile())
                    .setNoCheckout(true).setCloneSubmodules(false).call()) {
                // a no-checkout clone leaves the index at the default branch, which a checkout of another commit
                // takes for local deletions; a hard reset writes the commit's tree whatever the index holds
                wt.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call();
                // submodules with relative URLs (../pybind11.git) resolve against origin: the project's URL, not the mirror
                StoredConfig config = wt.getRepository().getConfig();
                config.setString("remote", "origin", "url", url.replaceAll("/+$", ""));
                config.save();
                wt.submoduleInit().call();
                wt.submoduleUpdate().call();
            }
            return new FetchedSource(workDir, "git:" + commit, "git+" + url + "@" + commit);
        } catch (GitAPIException e) {
            throw new UserInputException("git source " + url + ": " + e.getMessage()
                    + "; check the URL (git+https://..., git+file:///...) and that it is reachable", e);
        } catch (IOException e) {
            throw new UncheckedIOException("git source " + url, e);
        }
    }

    /**
     * The bare mirror of {@code url}, cloned or fetched the first time this instance is asked. Jobs of one project
     * (other variants, other workers on this machine) update it one at a time: under the lock file beside it.
     */
    private Path mirror(String url) {
        Path bare = mirrors.resolve(key(url) + ".git");
        synchronized (updated) {
            if (updated.contains(url)) {
                return bare;
            }
        }
        try {
            Files.createDirectories(mirrors);
            FileLocks.exclusively(mirrors.resolve(key(url) + ".lock"), () -> {
                update(url, bare);
                return null;
            });
            synchronized (updated) {
                updated.add(url);
            }
            return bare;
        } catch (IOException e) {
            throw new UncheckedIOException("git source " + url, e);
        }
    }

    private void update(String url, Path bare) throws IOException {
        try {
            if (!Files.isDirectory(bare.resolve("objects"))) {
                progress.report("git clone " + url);
                Path tmp = Files.createTempDirectory(mirrors, "clone-");
                try (Git g = Git.cloneRepository().setURI(url).setBare(true).setDirectory(tmp.toFile()).call()) {
                    // cloned; moved into place below so an interrupted clone never looks complete
                }
                try {
                    Files.move(tmp, bare, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                    // another job cloned the same URL meanwhile (jobs of one project run at once): its mirror will do
                    FileUtils.delete(tmp.toFile(), FileUtils.RECURSIVE);
                }
            } else {
                progress.report("git fetch " + url);
                try (Git g = Git.open(bare.toFile())) {
                    g.fetch().setRemote(url).setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"),
                            new RefSpec("+refs/tags/*:refs/tags/*")).setRemoveDeletedRefs(true).call();
                }
            }
        } catch (GitAPIException e) {
            throw new UserInputException("git source " + url + ": " + e.getMessage()
                    + "; check the URL (git+https://..., git+file:///...) and that it is reachable", e);
        }
    }

    private static String key(String url) {
        String tail = url.replaceAll("[^A-Za-z0-9]+", "-");
        return tail.substring(Math.max(0, tail.length() - 40)) + "-" + Digests.sha256(url).substring(0, 12);
    }
}
