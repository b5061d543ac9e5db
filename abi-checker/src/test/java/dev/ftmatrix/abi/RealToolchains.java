package dev.ftmatrix.abi;

import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.toolchain.Toolchains;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real cp313 and cp313t toolchains (built once, then cached) and their delta, shared by the slow tests. */
final class RealToolchains {
    private static Toolchain gil;
    private static Toolchain ft;
    private static HeaderDelta delta;

    private RealToolchains() {
    }

    static synchronized Toolchain gil() {
        if (gil == null) {
            gil = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313"), "debian");
        }
        return gil;
    }

    static synchronized Toolchain ft() {
        if (ft == null) {
            ft = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313t"), "debian");
        }
        return ft;
    }

    /** Measured once per test run, without the cache, so the tests check a fresh measurement. */
    static synchronized HeaderDelta delta() {
        if (delta == null) {
            delta = new AbiDelta(gil(), ft()).call();
        }
        return delta;
    }

    /** Compiles {@code source} against {@code t}'s headers; returns the run (ok() when it compiled). */
    static Processes.Run compile(Toolchain t, String source, Path dir) {
        try {
            Files.writeString(dir.resolve("t.c"), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Processes.run(List.of("gcc", "-fsyntax-only", "-I" + t.include(), "t.c"), dir, Map.of(), null, l -> { });
    }

    /** Runs Python code in {@code t}'s interpreter and returns its output. */
    static String python(Toolchain t, String code, Path dir) {
        Processes.Run r = Processes.run(List.of(t.python().toString(), "-c", code), dir, t.variant().freeThreaded() ? Map.of("PYTHON_GIL", "0") : Map.of(), null,
                l -> { });
        if (!r.ok()) {
            throw new IllegalStateException(t.python() + " failed: " + r.tail(10));
        }
        return r.output().strip();
    }
}
