package dev.ftmatrix.builder;

/**
 * What one sandboxed command may use.
 *
 * @param memoryBytes memory (swap included) before the kernel kills it
 * @param cpus CPU time as a number of cores; a quota only below the machine's cores (see ContainerSandbox)
 * @param pids processes and threads at once (stops a fork bomb)
 * @param tmpBytes size of the in-memory {@code /tmp} the build writes its temporary files to
 */
public record SandboxLimits(long memoryBytes, double cpus, long pids, long tmpBytes) {
    public static final SandboxLimits DEFAULT = new SandboxLimits(4L << 30, 2.0, 1024, 2L << 30);

    public SandboxLimits {
        if (memoryBytes < (64L << 20) || cpus <= 0 || pids < 16 || tmpBytes < (16L << 20)) {
            throw new IllegalArgumentException("sandbox limits too small: memory " + memoryBytes + " B, cpus " + cpus
                    + ", pids " + pids + ", /tmp " + tmpBytes + " B");
        }
    }

    public SandboxLimits withPids(long n) {
        return new SandboxLimits(memoryBytes, cpus, n, tmpBytes);
    }

    public SandboxLimits withTmp(long bytes) {
        return new SandboxLimits(memoryBytes, cpus, pids, bytes);
    }

    public SandboxLimits withMemory(long bytes) {
        return new SandboxLimits(bytes, cpus, pids, tmpBytes);
    }

    public SandboxLimits withCpus(double n) {
        return new SandboxLimits(memoryBytes, n, pids, tmpBytes);
    }
}
