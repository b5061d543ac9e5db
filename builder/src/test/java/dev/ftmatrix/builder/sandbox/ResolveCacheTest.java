package dev.ftmatrix.builder.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real pip of the cp313 toolchain against the index: a second identical run is served from the cache, a failed one is not kept. */
@Tag("slow")
class ResolveCacheTest {
    @TempDir
    Path tmp;

    @Test
    void anIdenticalPipWheelIsServedFromTheCacheIntoAnotherWheelhouse() {
        Toolchain tc = SandboxedRunTest.toolchain("cp313");
        ResolveCache cache = new ResolveCache(tmp.resolve("cache"));
        AtomicInteger pipRuns = new AtomicInteger();
        Path first = tmp.resolve("a/wheelhouse");
        Processes.Run a = cache.run(tc.python(), pipWheel(tc, first, "iniconfig==2.0.0"), first, "",
                () -> pip(tc, first, pipRuns, "iniconfig==2.0.0"));
        assertTrue(a.ok(), a.tail(20));
        assertEquals(1, pipRuns.get());
        Path second = tmp.resolve("b/wheelhouse");
        Processes.Run b = cache.run(tc.python(), pipWheel(tc, second, "iniconfig==2.0.0"), second, "",
                () -> pip(tc, second, pipRuns, "iniconfig==2.0.0"));
        assertTrue(b.ok(), b.output());
        assertEquals(1, pipRuns.get(), "the second identical run is the cache's: " + b.output());
        assertTrue(Files.isRegularFile(second.resolve("iniconfig-2.0.0-py3-none-any.whl")), b.output());
        // another requirement is another key: pip runs
        Processes.Run c = cache.run(tc.python(), pipWheel(tc, second, "iniconfig==1.1.1"), second, "",
                () -> pip(tc, second, pipRuns, "iniconfig==1.1.1"));
        assertTrue(c.ok(), c.tail(20));
        assertEquals(2, pipRuns.get());
    }

    @Test
    void aFailedPipRunIsNotKept() {
        Toolchain tc = SandboxedRunTest.toolchain("cp313");
        ResolveCache cache = new ResolveCache(tmp.resolve("cache"));
        AtomicInteger pipRuns = new AtomicInteger();
        Path dir = tmp.resolve("wheelhouse");
        String missing = "ftm-no-such-distribution-e3b0c442==1.0";
        for (int i = 0; i < 2; i++) {
            Processes.Run r = cache.run(tc.python(), pipWheel(tc, dir, missing), dir, "",
                    () -> pip(tc, dir, pipRuns, missing));
            assertFalse(r.ok(), r.output());
        }
        assertEquals(2, pipRuns.get(), "a failure is asked again, never served from the cache");
    }

    private static List<String> pipWheel(Toolchain tc, Path dir, String req) {
        return new ArrayList<>(List.of(tc.python().toString(), "-m", "pip", "wheel", "--wheel-dir", dir.toString(), req));
    }

    private Processes.Run pip(Toolchain tc, Path dir, AtomicInteger runs, String req) {
        runs.incrementAndGet();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Processes.run(pipWheel(tc, dir, req), dir, Map.of("PIP_DISABLE_PIP_VERSION_CHECK", "1",
                "PIP_CACHE_DIR", tmp.resolve("pip-cache").toString()), tmp.resolve("pip.log"), l -> { }, Duration.ofMinutes(3));
    }
}
