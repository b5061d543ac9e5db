package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.builder.SandboxCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A child JVM for {@link ContainerOrphansTest}: runs a long command in the container sandbox until it is killed. */
public final class SandboxKillChild {
    private SandboxKillChild() {
    }

    public static void main(String[] args) {
        ContainerSandbox box = new ContainerSandbox(args[0], SandboxLimits.DEFAULT);
        Path dir = Path.of(args[1]);
        box.run(new SandboxCommand(List.of("sleep", "600"), dir, Map.of(), List.of(), List.of(dir), null,
                Duration.ofMinutes(10)));
    }
}
