package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.builder.SandboxCommand;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.support.Processes;

/**
 * No isolation: each command is a local process with its deadline (past it, the process and its descendants are
 * killed). Memory, CPU, pid and network limits are not applied; results say {@code sandbox: none}.
 */
public final class LocalSandbox implements Sandbox {
    private final SandboxLimits limits;

    public LocalSandbox() {
        this(SandboxLimits.DEFAULT);
    }

    public LocalSandbox(SandboxLimits limits) {
        this.limits = limits;
    }

    @Override
    public String kind() {
        return "none";
    }

    @Override
    public SandboxLimits limits() {
        return limits;
    }

    @Override
    public Processes.Run run(SandboxCommand c) {
        return Processes.run(c.argv(), c.cwd(), c.env(), c.log(), l -> { }, c.deadline());
    }
}
