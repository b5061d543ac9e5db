package dev.ftmatrix.toolchain;

import dev.ftmatrix.support.Processes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolchainsTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("slow")
    void buildsFreeThreadedToolchainFromDebianSourceWithSharedLibpython() {
        Toolchains tcs = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE);
        Toolchain t = tcs.install(Variant.parse("cp313t"), "debian");
        assertEquals(Variant.parse("cp313t"), t.variant());
        assertTrue(t.fullVersion().startsWith("3.13."), t.fullVersion());
        assertTrue(Files.exists(t.libpython()) && t.libpython().getFileName().toString().startsWith("libpython3.13t.so"),
                t.libpython().toString());
        assertTrue(Files.exists(t.include().resolve("Python.h")));
        assertTrue(t.prefix().startsWith(tcs.root()) && t.prefix().getParent().getFileName().toString()
                .equals("cp313t-" + t.sourceSha256()), t.prefix().toString());
        // the interpreter really is free-threaded and its GIL is off
        Processes.Run r = Processes.run(List.of(t.python().toString(), "-c",
                "import sys, sysconfig; print(sysconfig.get_config_var('Py_GIL_DISABLED'), sys._is_gil_enabled())"),
                tmp, Map.of(), null, l -> { });
        assertEquals("1 False", r.output().strip());
        assertEquals(t, tcs.find(Variant.parse("cp313t")).orElseThrow());
    }

    @Test
    @Tag("slow")
    void tarballUrlIsDownloadedAndKeyedByItsSha256() throws Exception {
        Toolchains tcs = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE);
        Toolchain fromDebian = tcs.install(Variant.parse("cp313t"), "debian");
        Path orig;
        try (var s = Files.list(Toolchains.defaultCacheRoot().resolve("sources/debian-python3.13"))) {
            orig = s.filter(p -> p.toString().endsWith(".orig.tar.xz")).findFirst().orElseThrow();
        }
        // a python.org-style URL served from loopback: the same bytes must map to the same cached toolchain
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ftp/python/3.13.5/", ex -> {
            boolean known = ex.getRequestURI().getPath().endsWith("/Python-3.13.5.tar.xz");
            ex.sendResponseHeaders(known ? 200 : 404, known ? Files.size(orig) : -1);
            if (known) {
                try (var out = ex.getResponseBody()) {
                    Files.copy(orig, out);
                }
            }
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/ftp/python/3.13.5/";
            Toolchains fresh = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE);
            Files.deleteIfExists(Toolchains.defaultCacheRoot().resolve("sources/Python-3.13.5.tar.xz"));
            Toolchain viaUrl = fresh.install(Variant.parse("cp313t"), base + "Python-3.13.5.tar.xz");
            assertEquals(fromDebian.sourceSha256(), viaUrl.sourceSha256());
            assertEquals(fromDebian.prefix(), viaUrl.prefix());
            assertTrue(Files.exists(Toolchains.defaultCacheRoot().resolve("sources/Python-3.13.5.tar.xz")));
            UserInputException e = assertThrows(UserInputException.class,
                    () -> fresh.install(Variant.parse("cp313t"), base + "Python-3.13.99.tar.xz"));
            assertTrue(e.getMessage().contains("404") && e.getMessage().contains("Python-3.13.99.tar.xz"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDirectoryWithoutItsMarkerIsNotInstalled() throws Exception {
        Toolchains tcs = new Toolchains(tmp, Progress.NONE);
        Files.createDirectories(tcs.root().resolve("cp313t-abc/prefix/bin"));
        assertTrue(tcs.list().isEmpty());
        assertFalse(tcs.find(Variant.parse("cp313t")).isPresent());
    }

    @Test
    void rejectsAMissingInterpreterNamingIt() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Toolchains.probe(tmp.resolve("python3.14t")));
        assertTrue(e.getMessage().contains("python3.14t") && e.getMessage().contains("--python"), e.getMessage());
    }

    @Test
    void rejectsAnExecutableThatIsNotPython() throws Exception {
        Path fake = tmp.resolve("python3.13t");
        Files.writeString(fake, "#!/bin/sh\necho 'not python' >&2\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserInputException e = assertThrows(UserInputException.class, () -> Toolchains.probe(fake));
        assertTrue(e.getMessage().contains(fake.toString()) && e.getMessage().contains("exit 3"), e.getMessage());
    }

    @Test
    void rejectsAnInterpreterWithoutSharedLibpythonBecauseTheHarnessNeedsIt() throws Exception {
        // an interpreter that answers the probe as a static (no --enable-shared) 3.13t build would
        Path fake = tmp.resolve("python3.13t");
        Files.writeString(fake, """
                #!/bin/sh
                echo '{"version": "3.13.5", "major": 3, "minor": 13, "gilDisabled": true, "shared": false,'\
                ' "libdir": "/nowhere", "ldlibrary": "libpython3.13t.a", "instsoname": "", "include": "/nowhere",'\
                ' "prefix": "/nowhere"}'
                """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserInputException e = assertThrows(UserInputException.class, () -> Toolchains.probe(fake));
        assertTrue(e.getMessage().contains("cp313t") && e.getMessage().contains("--enable-shared"), e.getMessage());
    }

    @Test
    void acceptsAnotherSharedInterpreterAsItsOwnVariant() {
        // Debian's python3 is built with --enable-shared; without it, the cp313 toolchain scripts/test builds (never a
        // silent skip: a machine with neither fails here, saying what to install)
        Path sys = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(sys)) {
            sys = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).list().stream()
                    .filter(tc -> !tc.variant().freeThreaded()).map(Toolchain::python).findFirst()
                    .orElseThrow(() -> new AssertionError("no shared interpreter to probe: install Debian's python3"
                            + " (apt-get install python3) or run ./ftm toolchain install cp313"));
        }
        Toolchain t = Toolchains.probe(sys);
        assertFalse(t.variant().freeThreaded());
        assertTrue(Files.exists(t.libpython()), t.libpython().toString());
    }

    @Test
    void rejectsAMissingSourceTarball() {
        Toolchains tcs = new Toolchains(tmp, Progress.NONE);
        UserInputException e = assertThrows(UserInputException.class,
                () -> tcs.install(Variant.parse("cp314t"), tmp.resolve("Python-3.14.0.tar.xz").toString()));
        assertTrue(e.getMessage().contains("Python-3.14.0.tar.xz"), e.getMessage());
    }
}
