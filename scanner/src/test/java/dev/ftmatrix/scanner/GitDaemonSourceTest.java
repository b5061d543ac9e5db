package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A git:// source served by a real {@code git daemon} on 127.0.0.1: cloned once into the mirror cache, then fetched. */
class GitDaemonSourceTest {
    private static final Path GIT_DAEMON = Path.of("/usr/lib/git-core/git-daemon");
    @TempDir
    Path tmp;
    private Process daemon;

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    private int serve(Path base) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        daemon = new ProcessBuilder("git", "daemon", "--export-all", "--reuseaddr", "--listen=127.0.0.1",
                "--port=" + port, "--base-path=" + base, base.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("git daemon did not listen: " + Files.readString(tmp.resolve("daemon.log")));
    }

    @Test
    void clonesOnceThenFetchesAndResolvesTags() throws Exception {
        assumeTrue(Files.isExecutable(GIT_DAEMON), "git daemon is not installed");
        Path served = tmp.resolve("served");
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("src"));
        Files.writeString(tree.resolve("setup.py"), "from setuptools import setup, Extension\n"
                + "setup(ext_modules=[Extension('demo._x', ['src/x.c'])])\n");
        Files.writeString(tree.resolve("src/x.c"), "PyMODINIT_FUNC PyInit__x(void) { return 0; }\n");
        String first = FixtureRepos.commit(tree, served.resolve("demo"));
        try (Git git = Git.open(served.resolve("demo").toFile())) {
            git.tag().setName("v1").setAnnotated(false).call();
        }
        String url = "git://127.0.0.1:" + serve(served) + "/demo";

        List<String> lines = new ArrayList<>();
        SourceFetcher fetcher = new SourceFetcher(tmp.resolve("cache"), lines::add);
        FetchedSource v1 = fetcher.fetch("git+" + url, "v1", "", tmp.resolve("w1"));
        assertEquals("git:" + first, v1.fingerprint());
        assertEquals("absent", TestScans.scan(v1).modules().getFirst().declaration());

        Files.writeString(served.resolve("demo/src/x.c"), "static PyModuleDef_Slot s[] = {{Py_mod_gil, Py_MOD_GIL_NOT_USED}};\n"
                + "PyMODINIT_FUNC PyInit__x(void) { return 0; }\n");
        try (Git git = Git.open(served.resolve("demo").toFile())) {
            git.commit().setAll(true).setMessage("declare").setSign(false).call();
        }
        FetchedSource main = new SourceFetcher(tmp.resolve("cache"), lines::add).fetch("git+" + url, "main", "",
                tmp.resolve("w2"));
        assertEquals("not-used", TestScans.scan(main).modules().getFirst().declaration());
        assertEquals(List.of("git clone " + url, "git fetch " + url), lines, "the mirror is cloned once, then fetched");

        assertThrows(UserInputException.class, () -> new SourceFetcher(tmp.resolve("cache"), l -> { })
                .fetch("git+" + url, "no-such-tag", "", tmp.resolve("w3")));
    }
}
