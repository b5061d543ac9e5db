package dev.ftmatrix.testrunner.harness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.support.Processes;
import dev.ftmatrix.testrunner.HarnessFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A harness child JVM that runs out of heap is ftm's failure, never a crash of the test it was running. */
class ChildRunTest {
    @TempDir
    Path tmp;

    /** Starts a test step as a child does, then fills its heap. */
    public static final class Hog {
        public static void main(String[] args) throws Exception {
            Files.writeString(Path.of(args[0]), "{\"ev\":\"start\",\"id\":\"tests/test_a.py::test_big\",\"phase\":\"single\",\"iteration\":0}\n");
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 20]);
            }
        }
    }

    @Test
    void aChildOutOfHeapIsAHarnessFailure() throws Exception {
        List<String> flags = ChildLauncher.command(options(), tmp);
        assertTrue(flags.contains("-XX:+ExitOnOutOfMemoryError"), flags.toString());
        String java = ProcessHandle.current().info().command().orElseThrow();
        // the launcher's own flag, on a JVM with a small heap that really runs out of it
        ChildProcesses hog = (argv, cwd, env, log, deadline) -> Processes.run(List.of(java, "-Xmx32m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), Hog.class.getName(),
                tmp.resolve("events.jsonl").toString()), cwd, Map.of(), log, l -> { }, deadline);
        HarnessFailure e = assertThrows(HarnessFailure.class, () -> ChildRun.run(hog, options(), Map.of(), tmp,
                tmp.resolve("child.log"), Duration.ofMinutes(2)));
        assertTrue(e.getMessage().contains("ran out of its 512m Java heap while running tests/test_a.py::test_big")
                && e.getMessage().contains("not the project's"), e.getMessage());
    }

    @Test
    void aChildWhoseOwnCodeThrowsIsAHarnessFailure() {
        // a real child, started as the harness starts it, with no libpython where it is told to look
        HarnessFailure e = assertThrows(HarnessFailure.class, () -> ChildRun.run(ChildProcesses.LOCAL, options(), Map.of(),
                tmp, tmp.resolve("child.log"), Duration.ofMinutes(2)));
        assertTrue(e.getMessage().startsWith("the harness child failed: java.lang.IllegalArgumentException: no libpython at"),
                e.getMessage());
    }

    private ChildOptions options() {
        return new ChildOptions(tmp.resolve("libpython3.13t.so"), tmp.resolve("venv"), tmp, tmp.resolve("events.jsonl"),
                tmp, List.of(), 2, Duration.ofSeconds(10), 1, false, false, null, List.of(), List.of(), false, false, false);
    }
}
