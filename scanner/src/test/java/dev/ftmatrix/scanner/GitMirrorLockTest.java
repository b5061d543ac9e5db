package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.scanner.internal.GitSources;
import dev.ftmatrix.support.FileLocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs of one project fetch into one bare mirror: one at a time, under the lock file beside it. */
class GitMirrorLockTest {
    @TempDir
    Path tmp;

    @Test
    void concurrentJobsUpdateOneMirrorInTurnAndEachGetsTheNewCommit() throws Exception {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("src"));
        Files.writeString(tree.resolve("src/a.c"), "int a;\n");
        Path repo = tmp.resolve("repo");
        FixtureRepos.commit(tree, repo);
        String url = FixtureRepos.source(repo).substring("git+".length());
        Path cache = tmp.resolve("git");
        new GitSources(cache, l -> { }).resolve(url, "main");   // the mirror exists: every job below fetches into it
        String head;
        try (Git git = Git.open(repo.toFile())) {
            Files.writeString(repo.resolve("src/a.c"), "int a = 1;\n");
            head = git.commit().setAll(true).setMessage("new").setSign(false).call().name();
        }
        Path lockFile;
        try (var files = Files.list(cache)) {
            lockFile = files.filter(p -> p.toString().endsWith(".lock")).findFirst().orElseThrow();
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(7);
        try {
            // another job holds the mirror: no fetch may start until it lets go
            Future<?> holder = pool.submit(() -> FileLocks.exclusively(lockFile, () -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            held.await();
            List<Future<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jobs.add(pool.submit(() -> new GitSources(cache, l -> { }).resolve(url, "main")));
            }
            Thread.sleep(1500);
            assertTrue(jobs.stream().noneMatch(Future::isDone), "a fetch ran while the mirror was locked");
            release.countDown();
            holder.get();
            for (Future<String> j : jobs) {
                assertEquals(head, j.get());
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
