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

    public static List<String> command(ChildOptions options, Path work) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                // a child is small and short-lived: start fast
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx" + HEAP,
                // out of heap, the child stops at once and says so (exit 3), rather than limp on or pass for a crash
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:ErrorFile=" + work.resolve("hs_err_%p.log"),
                // class data sharing: the first child writes the archive, the next ones (a restart after a crash,
                // the tests after the import probe) start in about a third of the time
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + work.resolve("harness-child.jsa"),
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
