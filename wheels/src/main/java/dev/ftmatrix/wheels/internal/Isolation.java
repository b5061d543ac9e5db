package dev.ftmatrix.wheels.internal;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.builder.SandboxCommand;
import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.support.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where a published wheel's code runs (its imports): the sandbox builds run in, chosen as they choose it
 * ({@code FTM_SANDBOX}). The one class of this module that speaks to the sandbox, so that it can move with it.
 */
public final class Isolation {
    private final Sandbox sandbox;

    private Isolation(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public static Isolation fromEnvironment(Progress progress) {
        return new Isolation(Sandbox.fromEnvironment(SandboxLimits.DEFAULT, progress));
    }

    /** {@code container} or {@code none}. */
    public String kind() {
        return sandbox.kind();
    }

    /** Runs {@code argv} without network; it sees {@code readOnly} and writes only to {@code writable} and /tmp. */
    public Processes.Run run(List<String> argv, Path cwd, Map<String, String> env, List<Path> readOnly,
                             List<Path> writable, Path log, Duration deadline) {
        return sandbox.run(new SandboxCommand(argv, cwd, env, readOnly, writable, log, deadline));
    }
}
