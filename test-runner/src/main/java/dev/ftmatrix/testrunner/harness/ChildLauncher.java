package dev.ftmatrix.testrunner.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment of a harness child JVM: the same {@code java} and class path as this process,
 * entering through {@code ftm harness} when the service is on the class path, else through {@link ChildMain}.
 */
public final class ChildLauncher {
    /** A child's Java heap: events, the plan and result messages; the interpreter's memory is native. */
    public static final String HEAP = "512m";
    private ChildLauncher() {
    }

    /**
     * The class-data-sharing archive of this JVM and class path, in the cache's {@code cds/} directory (which a
     * sandbox mounts writable): one per JDK and set of jars, so a new ftm writes a new one.
     */
    public static Path cdsArchive() {
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(Runtime.version()).append('\n');
        for (Path p : ChildProcesses.jvmPaths()) {
            try {
                key.append(p).append(' ').append(Files.isRegularFile(p) ? Files.size(p) + " "
                        + Files.getLastModifiedTime(p).toMillis() : "").append('\n');
            } catch (java.io.IOException e) {
                key.append(p).append('\n');
            }
        }
        Path dir = cdsDir();
        Path archive = dir.resolve("harness-" + dev.ftmatrix.support.Digests.sha256(key.toString()).substring(0, 16)
                + ".jsa");
        try {
            Files.createDirectories(dir);
            // archives of other jars (an older ftm) go, but for the few newest
            try (var old = Files.list(dir)) {
                List<Path> others = old.filter(p -> p.getFileName().toString().endsWith(".jsa") && !p.equals(archive))
                        .sorted(java.util.Comparator.comparing(ChildLauncher::modified).reversed()).toList();
                for (Path p : others.subList(Math.min(KEEP_ARCHIVES, others.size()), others.size())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
        return archive;
    }

    private static final int KEEP_ARCHIVES = 3;

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Where the archives are: {@code CACHE/cds}. */
    public static Path cdsDir() {
        return dev.ftmatrix.toolchain.Toolchains.defaultCacheRoot().resolve("cds");
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
                // class data sharing: the first child of this JVM and class path writes the archive, shared by all
                // runs after it (every variant, rerun and restart), which start faster
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + cdsArchive(),
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", System.getProperty("java.class.path")));
        if (ClassLoader.getSystemClassLoader().getResource("dev/ftmatrix/service/Ftm.class") != null) {
            cmd.addAll(List.of("dev.ftmatrix.service.Ftm", "harness"));
        } else {
            cmd.add(ChildMain.class.getName());
        }
        cmd.addAll(options.toArgs());
        return cmd;
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
