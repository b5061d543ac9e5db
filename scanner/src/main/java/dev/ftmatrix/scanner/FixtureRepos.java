package dev.ftmatrix.scanner;

import dev.ftmatrix.scanner.internal.LocalTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Makes a local git repository (branch {@code main}) from a directory, with one commit of fixed author and time, so
 * the same content always gives the same commit id: re-running the demo finds its results unchanged.
 */
public final class FixtureRepos {
    private static final PersonIdent WHO = new PersonIdent("ftmatrix fixtures", "fixtures@ftmatrix.invalid",
            Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private FixtureRepos() {
    }

    /** Creates or replaces {@code repo} from {@code tree}; returns the commit id. */
    public static String commit(Path tree, Path repo) {
        try {
            LocalTrees.copy(tree, repo);
            try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
                git.add().addFilepattern(".").call();
                RevCommit c = git.commit().setMessage("fixture " + tree.getFileName()).setAuthor(WHO).setCommitter(WHO)
                        .setSign(false).call();
                return c.name();
            }
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot make a git repository of " + tree, e);
        }
    }

    /** The {@code git+file://} source of a repository made here. */
    public static String source(Path repo) {
        return "git+" + repo.toAbsolutePath().toUri();
    }
}
