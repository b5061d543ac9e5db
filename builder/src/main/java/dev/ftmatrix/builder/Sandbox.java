package dev.ftmatrix.builder;

import dev.ftmatrix.builder.sandbox.LocalSandbox;
import dev.ftmatrix.builder.sandbox.ContainerSandbox;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Timings;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.support.Processes;
import java.util.function.Supplier;

/**
 * Where a build's untrusted commands run: a throwaway container without network ({@link ContainerSandbox}), or,
 * without a Docker engine, local processes ({@link LocalSandbox}). Pick one with {@link #best}.
 */
public interface Sandbox {
    /** How results name it: {@code container} or {@code none}. */
    String kind();

    /** The limits each command runs under. */
    SandboxLimits limits();

    /** Runs one command to completion or to its deadline; a command stopped by a limit says so in its output. */
    Processes.Run run(SandboxCommand command);

    /** Milliseconds spent so far creating, starting, stopping and removing containers (0 for local processes). */
    default long overheadMillis() {
        return 0;
    }

    /** Runs {@code work}, adding this sandbox's overhead during it to {@code timings} as {@link Timings#SANDBOX}. */
    default <T> T timed(Timings timings, Supplier<T> work) {
        long before = overheadMillis();
        try {
            return work.get();
        } finally {
            timings.add(Timings.SANDBOX, overheadMillis() - before);
        }
    }

    /**
     * The sandbox {@code FTM_SANDBOX} asks for: {@code container} (fails when unusable), {@code auto} (a container when
     * possible, else local) or {@code none}/unset (local processes).
     */
    static Sandbox fromEnvironment(SandboxLimits limits, Progress progress) {
        String want = System.getenv().getOrDefault("FTM_SANDBOX", "none").strip();
        return switch (want) {
            case "", "none" -> new LocalSandbox(limits);
            case "auto" -> best(limits, progress);
            case "container" -> {
                String why = whyNoContainer();
                if (!why.isEmpty()) {
                    throw new UserInputException("FTM_SANDBOX=container, but " + why);
                }
                yield container(limits);
            }
            default -> throw new UserInputException("FTM_SANDBOX=" + want
                    + " is not a sandbox: use container, auto or none");
        };
    }

    /** A container sandbox when a Docker engine and the base image are there, else the local one (with the reason). */
    static Sandbox best(SandboxLimits limits, Progress progress) {
        ContainerSandbox.Availability a = ContainerSandbox.availability();
        if (a.available()) {
            return new ContainerSandbox(a.image(), limits);
        }
        progress.report("sandbox: none (" + a.reason() + ")");
        return new LocalSandbox(limits);
    }

    /** Local processes, with the default limits. */
    static Sandbox local() {
        return new LocalSandbox();
    }

    /** Empty when a container sandbox can run here (a Docker engine and the base image), else why not. */
    static String whyNoContainer() {
        ContainerSandbox.Availability a = ContainerSandbox.availability();
        return a.available() ? "" : a.reason();
    }

    /** A throwaway container per command; {@link #whyNoContainer} says whether one can run. */
    static Sandbox container(SandboxLimits limits) {
        ContainerSandbox.Availability a = ContainerSandbox.availability();
        if (!a.available()) {
            throw new IllegalStateException("no container sandbox: " + a.reason());
        }
        return new ContainerSandbox(a.image(), limits);
    }
}
