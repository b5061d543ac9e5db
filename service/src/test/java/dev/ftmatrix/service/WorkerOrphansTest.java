package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.ftmatrix.builder.sandbox.ContainerSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * A worker killed with {@code kill -9} while its job runs in a container: no child JVM of it lives on, its container
 * is left behind (nothing could remove it), and the next worker on this machine removes it, then works the job.
 */
@Tag("slow")
class WorkerOrphansTest {
    private static final Path ROOT = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Process ftm(String name, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dftm.root=" + ROOT, "-cp", System.getProperty("java.class.path"), Ftm.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                .redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(tmp.resolve(name + ".err").toFile());
        pb.environment().put("FTM_SANDBOX", "container");
        return pb.start();
    }

    /** The containers a process started, by the run label the sandbox gives them. */
    private static List<Container> containersOf(DockerClient docker, long pid) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(ContainerSandbox.RUN_LABEL)).exec()
                .stream().filter(c -> c.getLabels().get(ContainerSandbox.RUN_LABEL).matches(".*/" + pid + "/\\d+"))
                .toList();
    }

    private static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!done.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), what + " not within " + within);
            Thread.sleep(250);
        }
    }

    @Test
    void theNextWorkerRemovesTheContainerOfAWorkerKilledMidJob() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        Path matrix = tmp.resolve("one.yaml");
        Files.writeString(matrix, "schema: 1\nname: one\nvariants: [cp313]\nprojects:\n"
                + "  - name: ft-ready\n    source: fixture:ft-ready\n");
        String store = tmp.resolve("results").toString();
        String out = tmp.resolve("build").toString();
        Process run = ftm("run", "run", matrix.toString(), "--store", store, "--workers", "0", "--out", out);
        assertTrue(run.waitFor(2, TimeUnit.MINUTES) && run.exitValue() == 0, Files.readString(tmp.resolve("run.err")));

        String[] worker = {"worker", "--store", store, "--until-idle", "--poll", "5", "--test-deadline", "30", "--out", out};
        Process doomed = ftm("doomed", worker);
        Process next = null;
        try {
            await("a container of the first worker", Duration.ofMinutes(3),
                    () -> !containersOf(docker, doomed.pid()).isEmpty() || !doomed.isAlive());
            assertTrue(doomed.isAlive(), Files.readString(tmp.resolve("doomed.err")));
            List<ProcessHandle> children = doomed.descendants().toList();
            new ProcessBuilder("kill", "-9", Long.toString(doomed.pid())).start().waitFor();
            assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, doomed.exitValue());
            assertFalse(containersOf(docker, doomed.pid()).isEmpty(), "a worker killed outright leaves its container");
            for (ProcessHandle c : children) {
                if (c.info().command().orElse("").endsWith("java")) {
                    await("child JVM " + c.pid() + " of the killed worker to end", Duration.ofSeconds(30),
                            () -> !c.isAlive());
                }
            }

            next = ftm("next", worker);
            await("the next worker to remove the killed worker's container", Duration.ofMinutes(3),
                    () -> containersOf(docker, doomed.pid()).isEmpty());
            assertTrue(next.waitFor(5, TimeUnit.MINUTES), "the next worker works the dead worker's job: "
                    + Files.readString(tmp.resolve("next.err")));
            assertEquals(0, next.exitValue(), Files.readString(tmp.resolve("next.err")));
            assertEquals(List.of(), containersOf(docker, next.pid()), "a worker that ends removes its own containers");
        } finally {
            doomed.destroyForcibly();
            if (next != null) {
                next.destroyForcibly();
            }
            for (Container c : containersOf(docker, doomed.pid())) {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            }
        }
    }
}
