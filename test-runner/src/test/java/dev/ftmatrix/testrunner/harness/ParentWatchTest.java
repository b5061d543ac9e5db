package dev.ftmatrix.testrunner.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A child whose parent is killed with SIGKILL ends by itself, as a harness child of a killed ftm must. */
class ParentWatchTest {
    /** The middle process: starts a watching grandchild, says its pid, then waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                    Child.class.getName()).inheritIO().start();
            System.out.println(child.pid());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(10));
        }
    }

    /** The grandchild: watches its parent and otherwise sleeps for ten minutes. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ParentWatch.exitWithParent();
            Thread.sleep(Duration.ofMinutes(10));
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    @Test
    void aChildWhoseParentIsKilledEndsByItself() throws Exception {
        Process parent = new ProcessBuilder(List.of(java(), "-cp", System.getProperty("java.class.path"),
                Parent.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long childPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            childPid = Long.parseLong(out.readLine().strip());
        }
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
        try {
            Thread.sleep(1000);   // the child is up and watching
            assertTrue(child.isAlive());
            parent.destroyForcibly();   // SIGKILL: the parent cannot stop its child
            parent.waitFor();
            child.onExit().get(30, TimeUnit.SECONDS);
            assertTrue(!child.isAlive(), "the child outlived its parent");
        } finally {
            child.destroyForcibly();
        }
    }
}
