package dev.ftmatrix.testrunner.harness;

import dev.ftmatrix.support.Digests;
import dev.ftmatrix.toolchain.Toolchains;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command line and environment of a harness child JVM: the same {@code java} and class path as this process,
 * entering through {@link ChildMain} (the same options as {@code ftm harness}).
 */
public final class ChildLauncher {
    /** A child's Java heap: events, the plan and result messages; the interpreter's memory is native. */
    public static final String HEAP = "512m";
    private ChildLauncher() {
    }

    /**
     * The ahead-of-time cache (JEP 483/514: classes loaded and linked, method profiles) of this JVM and class path, in
     * the cache's {@code cds/} directory (which a sandbox mounts writable): one per JDK and set of jars, so a new ftm
     * makes a new one. Measured on the harness child: about 0.25 s less start-up than a dynamic CDS archive.
     */
    public static synchronized Path aotCache() {
        // once per process: the key reads every jar's size and time, and the directory is pruned; neither changes
        // between the children of one run
        if (aotCache == null) {
            aotCache = findAotCache();
        }
        return aotCache;
    }

    private static Path aotCache;

    private static Path findAotCache() {
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(Runtime.version()).append('\n');
        for (Path p : ChildProcesses.jvmPaths()) {
            try {
                key.append(p).append(' ').append(Files.isRegularFile(p) ? Files.size(p) + " "
                        + Files.getLastModifiedTime(p).toMillis() : "").append('\n');
            } catch (IOException e) {
                key.append(p).append('\n');
            }
        }
        Path dir = cdsDir();
        Path archive = dir.resolve("harness-" + Digests.sha256(key.toString()).substring(0, 16)
                + ".aot");
        try {
            Files.createDirectories(dir);
            // archives of other jars (an older ftm) go, but for the few newest
            try (var old = Files.list(dir)) {
                // (a cache being written, *.tmp-*, is left alone for an hour)
                long hourAgo = System.currentTimeMillis() - 3_600_000;
                List<Path> others = old.filter(p -> !p.equals(archive)
                                && (!p.getFileName().toString().contains(".tmp-") || modified(p) < hourAgo))
                        .sorted(Comparator.comparing(ChildLauncher::modified).reversed()).toList();
                for (Path p : others.subList(Math.min(KEEP_ARCHIVES, others.size()), others.size())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return archive;
    }

    private static final int KEEP_ARCHIVES = 3;

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Where the archives are: {@code CACHE/cds}. */
    public static Path cdsDir() {
        return Toolchains.defaultCacheRoot().resolve("cds");
    }

    public static List<String> command(ChildOptions options, Path work) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                // a child is small and short-lived: start fast
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx" + HEAP,
                // out of heap, the child stops at once and says so (exit 3), rather than limp on or pass for a crash
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:ErrorFile=" + work.resolve("hs_err_%p.log"),
                // the first child of this JVM and class path trains the AOT cache and writes it as it exits (to a
                // name of its own, adopted when it is whole), shared by all runs after it, which start faster
                // (a class path of directories, as in this project's own tests, cannot be cached: none then)
                "-Xlog:aot=off", "-Xlog:cds=off",
                "-cp", System.getProperty("java.class.path")));
        String aot = aotFlag();
        if (aot != null) {
            cmd.add(cmd.indexOf("-cp"), aot);
        }
        // straight into the child's main, not through the CLI (`ftm harness`): picocli and the service's classes
        // cost a child about 0.6 s of its start, measured on the 45 MB ftm.jar
        cmd.add(ChildMain.class.getName());
        cmd.addAll(options.toArgs());
        return cmd;
    }

    private static final String AOT_OUTPUT = "-XX:AOTCacheOutput=";
    private static final AtomicLong TRAINERS = new AtomicLong();

    private static String aotFlag() {
        if (Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .anyMatch(e -> e.isBlank() || Files.isDirectory(Path.of(e)))) {
            return null;
        }
        Path cache = aotCache();
        try {
            if (Files.isRegularFile(cache) && Files.size(cache) > 0) {
                return "-XX:AOTCache=" + cache;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AOT_OUTPUT + cache + ".tmp-" + ProcessHandle.current().pid() + "-" + TRAINERS.incrementAndGet();
    }

    /**
     * After a child of {@code command} has ended: the AOT cache it wrote, if it was the one to train it, takes its
     * place (atomically; of two at once, either is whole).
     */
    public static void adoptAotCache(List<String> command) {
        for (String a : command) {
            if (a.startsWith(AOT_OUTPUT)) {
                Path written = Path.of(a.substring(AOT_OUTPUT.length()));
                String name = written.getFileName().toString();
                Path cache = written.resolveSibling(name.substring(0, name.lastIndexOf(".tmp-")));
                try {
                    if (Files.isRegularFile(written) && Files.size(written) > 0) {
                        Files.move(written, cache, StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.deleteIfExists(written);
                    }
                    Files.deleteIfExists(written.resolveSibling(name + ".config"));   // the training's, if left
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot keep the harness's AOT cache " + written, e);
                }
            }
        }
    }

    /**
     * The child's environment on top of {@code base}. libjsig chains signal handlers: the JVM keeps its own SIGSEGV
     * handling (null checks, safepoints) and passes a fault in native code on to faulthandler, which prints every
     * Python thread's stack before the process dies.
     */
    public static Map<String, String> environment(Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        if (Files.exists(jsig)) {
            env.put("LD_PRELOAD", jsig.toString());
            env.put("FTM_SIGNAL_CHAINING", "1");
        } else {
            env.put("FTM_SIGNAL_CHAINING", null);
        }
        return env;
    }
}
