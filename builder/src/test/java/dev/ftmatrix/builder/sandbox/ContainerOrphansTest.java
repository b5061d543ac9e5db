package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.builder.SandboxCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.ftmatrix.support.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/** Containers carry their run's label; a run that starts removes those of runs that are gone, and only those. */
@Tag("slow")
class ContainerOrphansTest {
    @TempDir
    Path tmp;

    private static List<Container> ofRun(DockerClient docker, String run) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(ContainerSandbox.RUN_LABEL, run)).exec();
    }

    @Test
    void aRunKilledWithSigkillLeavesAContainerThatTheNextRunRemoves() throws Exception {
        ContainerSandbox box = Containers.sandbox(SandboxLimits.DEFAULT);
        DockerClient docker = DockerClientFactory.instance().client();
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SandboxKillChild.class.getName(), box.image(), tmp.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        String run = ContainerSandbox.runLabel(child.toHandle());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (ofRun(docker, run).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertEquals(1, ofRun(docker, run).size(), "the child's container started");
        child.destroyForcibly();   // SIGKILL: no chance to remove its container
        child.waitFor();
        assertEquals(1, ofRun(docker, run).size(), "a killed run leaves its container behind");

        Processes.Run r = box.run(new SandboxCommand(List.of("true"), tmp, Map.of(), List.of(), List.of(tmp), null,
                Duration.ofSeconds(60)));
        assertTrue(r.ok(), r.output());
        // the first run of this JVM may have come before this test; removing orphans again must find none left
        ContainerSandbox.removeOrphans(docker);
        assertEquals(List.of(), ofRun(docker, run), "the orphan was removed");
    }

    @Test
    void containersOfLiveRunsAndWithoutTheLabelAreKept() throws Exception {
        ContainerSandbox box = Containers.sandbox(SandboxLimits.DEFAULT);
        DockerClient docker = DockerClientFactory.instance().client();
        String live = ContainerSandbox.runLabel(ProcessHandle.current());
        String id = docker.createContainerCmd(box.image()).withCmd("true")
                .withLabels(Map.of(ContainerSandbox.RUN_LABEL, live)).exec().getId();
        String unlabelled = docker.createContainerCmd(box.image()).withCmd("true").exec().getId();
        try {
            ContainerSandbox.removeOrphans(docker);
            assertEquals(1, ofRun(docker, live).stream().filter(c -> c.getId().equals(id)).count());
            assertEquals(1, docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(unlabelled)).exec().size());
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
            docker.removeContainerCmd(unlabelled).withForce(true).exec();
        }
    }
}
