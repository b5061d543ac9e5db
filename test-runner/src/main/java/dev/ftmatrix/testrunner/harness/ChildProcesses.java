package dev.ftmatrix.testrunner.harness;

import dev.ftmatrix.support.Processes;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where a harness child JVM runs: a local process by default, or a sandbox's (a container's) command. */
@FunctionalInterface
public interface ChildProcesses {
    Processes.Run run(List<String> argv, Path cwd, Map<String, String> env, Path log, Duration deadline);

    ChildProcesses LOCAL = (argv, cwd, env, log, deadline) -> Processes.run(argv, cwd, env, log, l -> { }, deadline);

    /** What a child JVM reads besides the project: this JVM's home and class path, for a sandbox to mount. */
    static List<Path> jvmPaths() {
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of(System.getProperty("java.home")));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                paths.add(Path.of(entry).toAbsolutePath());
            }
        }
        return List.copyOf(paths);
    }
}
