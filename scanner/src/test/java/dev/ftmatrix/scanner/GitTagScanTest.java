package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A git source pinned to a tag scans the same as the release's sdist. */
class GitTagScanTest {
    @TempDir
    Path tmp;

    @Test
    void aGitTagScansTheSameAsItsSdist() throws Exception {
        SourceFetcher fetcher = new SourceFetcher(tmp.resolve("cache"), l -> { });
        FetchedSource sdist = fetcher.fetch("pypi:markupsafe==3.0.0", "", "", tmp.resolve("sdist"));
        Path repo = tmp.resolve("repo");
        FixtureRepos.commit(sdist.dir(), repo);
        try (Git git = Git.open(repo.toFile())) {
            git.tag().setName("3.0.0").setAnnotated(true).setMessage("release 3.0.0").setSigned(false).call();
            // a later commit on main: the tag, not the branch head, must be what is scanned
            java.nio.file.Files.writeString(repo.resolve("src/markupsafe/_speedups.c"), "/* rewritten */\n");
            git.commit().setAll(true).setMessage("after the release").setSign(false).call();
        }
        String url = FixtureRepos.source(repo);
        FetchedSource tagged = fetcher.fetch(url, "3.0.0", "", tmp.resolve("git"));
        assertTrue(tagged.fingerprint().startsWith("git:"));
        assertEquals(fetcher.pin(url, "3.0.0", "").orElseThrow(), tagged.pin(), "pinning agrees with fetching");

        ProjectScan fromSdist = TestScans.scan(sdist);
        ProjectScan fromGit = TestScans.scan(tagged);
        assertEquals(fromSdist.modules(), fromGit.modules());
        assertEquals(fromSdist.declaresFreeThreading(), fromGit.declaresFreeThreading());
        assertEquals(fromSdist.buildBackend(), fromGit.buildBackend());
        assertEquals(fromSdist.buildRequires(), fromGit.buildRequires());
        assertEquals(fromSdist.bindingLayers(), fromGit.bindingLayers());
        assertEquals(fromSdist.limitedApi(), fromGit.limitedApi());
        assertEquals(fromSdist.tests(), fromGit.tests());
        assertEquals(fromSdist.name() + fromSdist.version(), fromGit.name() + fromGit.version());
        assertEquals(Boolean.TRUE, fromGit.declaresFreeThreading());

        FetchedSource head = fetcher.fetch(url, "main", "", tmp.resolve("head"));
        assertNotEquals(tagged.fingerprint(), head.fingerprint());
        assertEquals("unknown", TestScans.scan(head).modules().getFirst().declaration(),
                "the branch head lost its module definition");
    }
}
