package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.builder.SandboxCommand;
import dev.ftmatrix.builder.Sandbox;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Image;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Each command in a throwaway container of the local base image ({@code ftm-base:<content-tag>}, made by
 * {@code scripts/docker-up.sh}; nothing is ever pulled): network {@code none}, memory/CPU/pid limits, an in-memory
 * {@code /tmp}, no capabilities and no privilege gain, only the command's paths bind-mounted, run as the owner of its
 * working directory, removed at the end.
 */
public final class ContainerSandbox implements Sandbox {
    private final AtomicLong overhead = new AtomicLong();
    /** The label {@code scripts/docker-up.sh} puts on the base image. */
    public static final String BASE_LABEL = "dev.ftmatrix.role=sandbox-base";
    private static final Logger LOG = LoggerFactory.getLogger(ContainerSandbox.class);
    private static final int KEEP = 1 << 20;
    /** How a command's output says the kernel killed it for its memory limit. */
    static final String OUT_OF_MEMORY = "ftm sandbox: killed: out of memory";
    /**
     * The label naming the run a container belongs to: {@code HOST/BOOT/PID/STARTMILLIS} of the ftm process, so that
     * a later run on the same machine can tell whether that process is still alive (a pid alone may be reused).
     */
    public static final String RUN_LABEL = "dev.ftmatrix.run";
    private static final String THIS_RUN = runLabel(ProcessHandle.current());
    /**
     * When orphans were last removed ({@link System#nanoTime}): at a process's first command, then at most once a
     * minute, so a long-running worker also removes the containers of a peer on this machine that died after it started.
     */
    private static final AtomicLong ORPHANS_REMOVED =
            new AtomicLong(Long.MIN_VALUE);
    private static final long ORPHANS_EVERY = Duration.ofMinutes(1).toNanos();

    private final String image;
    private final SandboxLimits limits;

    public ContainerSandbox(String image, SandboxLimits limits) {
        this.image = image;
        this.limits = limits;
    }

    /** Whether containers can be used here, and with which image. */
    public record Availability(boolean available, String image, String reason) {
    }

    /**
     * A Docker engine answers and a base image is there: {@code FTM_SANDBOX_IMAGE} when set, else the newest image
     * labelled {@value #BASE_LABEL}.
     */
    public static Availability availability() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return new Availability(false, "", "no Docker engine answers; start one with scripts/docker-up.sh");
            }
            DockerClient docker = DockerClientFactory.instance().client();
            String wanted = System.getenv("FTM_SANDBOX_IMAGE");
            List<Image> images = docker.listImagesCmd().withLabelFilter(BASE_LABEL).exec();
            Optional<String> found = images.stream().sorted(Comparator.comparing(Image::getCreated).reversed())
                    .flatMap(i -> i.getRepoTags() == null ? Stream.empty() : List.of(i.getRepoTags()).stream())
                    .filter(t -> wanted == null || wanted.isBlank() || t.equals(wanted)).findFirst();
            return found.map(t -> new Availability(true, t, ""))
                    .orElseGet(() -> new Availability(false, "", "no sandbox base image"
                            + (wanted == null ? "" : " " + wanted) + " in the Docker engine; build it with scripts/docker-up.sh"));
        } catch (RuntimeException e) {
            LOG.debug("Docker is not usable", e);
            return new Availability(false, "", "Docker is not usable: " + e.getMessage());
        }
    }

    @Override
    public String kind() {
        return "container";
    }

    @Override
    public SandboxLimits limits() {
        return limits;
    }

    public String image() {
        return image;
    }

    @Override
    public long overheadMillis() {
        return overhead.get();
    }

    @Override
    public Processes.Run run(SandboxCommand c) {
        long last = ORPHANS_REMOVED.get();
        long now = System.nanoTime();
        if ((last == Long.MIN_VALUE || now - last >= ORPHANS_EVERY) && ORPHANS_REMOVED.compareAndSet(last, now)) {
            removeOrphans(DockerClientFactory.instance().client());
        }
        long t0 = System.nanoTime();
        long[] inside = {0};
        try {
            return run(c, t0, inside);
        } finally {
            overhead.addAndGet(Math.max(0, (System.nanoTime() - t0) / 1_000_000 - inside[0]));
        }
    }

    /** Runs {@code c}; {@code inside[0]} gets the milliseconds the command ran in its started container. */
    private Processes.Run run(SandboxCommand c, long t0, long[] inside) {
        StringBuilder out = new StringBuilder();
        try (Writer log = c.log() == null ? Writer.nullWriter() : Files.newBufferedWriter(c.log(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             GenericContainer<?> box = container(c)) {
            box.start();
            long started = System.nanoTime();
            DockerClient docker = box.getDockerClient();
            ResultCallback.Adapter<Frame> logs = docker.logContainerCmd(box.getContainerId()).withFollowStream(true)
                    .withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<>() {
                        @Override
                        public void onNext(Frame frame) {
                            append(new String(frame.getPayload(), StandardCharsets.UTF_8), out, log);
                        }
                    });
            Integer code = null;
            try {
                code = docker.waitContainerCmd(box.getContainerId()).start()
                        .awaitStatusCode(c.deadline().toMillis(), TimeUnit.MILLISECONDS);
            } catch (com.github.dockerjava.api.exception.DockerClientException timeout) {
                LOG.debug("deadline passed", timeout);   // awaitStatusCode's way of saying the deadline passed
            }
            inside[0] = (System.nanoTime() - started) / 1_000_000;
            boolean timedOut = code == null;
            String note;
            if (timedOut) {
                docker.killContainerCmd(box.getContainerId()).exec();
                note = "ftm sandbox: stopped at its deadline of " + c.deadline().toSeconds() + " s";
                code = 137;
            } else {
                InspectContainerResponse.ContainerState st = docker.inspectContainerCmd(box.getContainerId()).exec().getState();
                note = Boolean.TRUE.equals(st.getOOMKilled())
                        ? OUT_OF_MEMORY + " (limit " + (limits.memoryBytes() >> 20) + " MiB)" : null;
            }
            awaitLogs(logs);
            if (note != null) {
                synchronized (out) {
                    out.append(note).append('\n');
                }
                log.write(note + "\n");
            }
            String cmd = String.join(" ", c.argv());
            log.write("[ftm] in a container: " + (cmd.length() > 600 ? cmd.substring(0, 600) + " ..." : cmd) + " -> "
                    + (timedOut ? "killed at its deadline" : "exit " + code) + " in " + inside[0] + " ms (+"
                    + ((started - t0) / 1_000_000) + " ms to start the container)\n");
            log.flush();
            synchronized (out) {
                return new Processes.Run(code, timedOut, out.toString(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GenericContainer<?> container(SandboxCommand c) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", "/tmp");
        env.put("TMPDIR", "/tmp");
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        c.env().forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        int uid = (Integer) Files.getAttribute(c.cwd(), "unix:uid");
        int gid = (Integer) Files.getAttribute(c.cwd(), "unix:gid");
        @SuppressWarnings("resource")
        GenericContainer<?> box = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withCommand(c.argv().toArray(String[]::new))
                .withWorkingDirectory(c.cwd().toString())
                .withEnv(env)
                .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,size=" + limits.tmpBytes()))
                .withStartupCheckStrategy(new StartedOrExited())
                .waitingFor(new NoWait())
                .withLabel(RUN_LABEL, THIS_RUN)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser(uid + ":" + gid);
                    cmd.getHostConfig()
                            .withNetworkMode("none")
                            .withMemory(limits.memoryBytes())
                            .withMemorySwap(limits.memoryBytes())
                            // a quota of all the machine's cores limits nothing, but CFS throttles a container near
                            // it (its accounting is per core and per period), stalling every thread at once
                            .withNanoCPUs(limits.cpus() < Runtime.getRuntime().availableProcessors()
                                    ? (long) (limits.cpus() * 1e9) : null)
                            .withPidsLimit(limits.pids())
                            .withCapDrop(com.github.dockerjava.api.model.Capability.ALL)
                            .withSecurityOpts(List.of("no-new-privileges"))
                            .withInit(true);
                });
        for (Path p : c.readOnly()) {
            box.withFileSystemBind(p.toString(), p.toString(), BindMode.READ_ONLY);
        }
        for (Path p : c.writable()) {
            box.withFileSystemBind(p.toString(), p.toString(), BindMode.READ_WRITE);
        }
        return box;
    }

    /** {@link #RUN_LABEL}'s value for the process {@code p}. */
    static String runLabel(ProcessHandle p) {
        return machine() + "/" + p.pid() + "/" + p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** This machine (and boot): pids name processes only within it. */
    private static String machine() {
        String boot;
        try {
            boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            boot = "unknown-boot";
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        try {
            host = host.isEmpty() ? InetAddress.getLocalHost().getHostName() : host;
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + boot;
    }

    /**
     * Removes the containers of ftm runs on this machine whose process is gone (killed with {@code kill -9}, or a
     * power cut): what a run would have removed itself had it ended. Containers of live runs, of other machines and
     * without the label are left alone. Returns how many were removed.
     */
    public static int removeOrphans(DockerClient docker) {
        String here = machine() + "/";
        int removed = 0;
        for (com.github.dockerjava.api.model.Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(RUN_LABEL)).exec()) {
            String owner = c.getLabels() == null ? null : c.getLabels().get(RUN_LABEL);
            if (owner == null || !owner.startsWith(here) || alive(owner.substring(here.length()))) {
                continue;
            }
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
                LOG.info("removed container {} of a run that is gone ({})", c.getId(), owner);
            } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                LOG.debug("container {} went by itself", c.getId());
            }
        }
        return removed;
    }

    /** Whether {@code PID/STARTMILLIS} is a process that still runs. */
    private static boolean alive(String pidAndStart) {
        String[] parts = pidAndStart.split("/");
        if (parts.length != 2) {
            return true;   // not ours to judge
        }
        try {
            long pid = Long.parseLong(parts[0]);
            long start = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(start) == start)
                    .orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The log stream ends soon after the container; a killed one may leave it open, so wait a little only. */
    private static void awaitLogs(ResultCallback.Adapter<Frame> logs) throws IOException {
        try {
            logs.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a sandbox's output", e);
        } finally {
            logs.close();
        }
    }

    private static void append(String s, StringBuilder out, Writer log) {
        if (s.isEmpty()) {
            return;
        }
        synchronized (out) {
            if (out.length() > KEEP) {
                out.delete(0, out.length() - KEEP / 2);
            }
            out.append(s);
            try {
                log.write(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A build may end before Testcontainers looks: running or already exited both count as started. */
    private static final class StartedOrExited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            InspectContainerResponse.ContainerState st = getCurrentState(docker, containerId);
            return Boolean.TRUE.equals(st.getRunning()) || st.getFinishedAt() != null && !st.getFinishedAt().startsWith("0001")
                    ? StartupStatus.SUCCESSFUL : StartupStatus.NOT_YET_KNOWN;
        }
    }

    /** Nothing to wait for: the command is the whole life of the container. */
    private static final class NoWait extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
        }
    }
}
