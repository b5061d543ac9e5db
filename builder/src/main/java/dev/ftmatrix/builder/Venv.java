package dev.ftmatrix.builder;

import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.builder.sandbox.LocalSandbox;
import dev.ftmatrix.support.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh virtual environment of one toolchain, with pip calls that share one download cache. Every command runs in
 * its {@link Sandbox}, which sees the {@code readOnly} and {@code writable} paths only; with a wheelhouse, pip is
 * offline and installs from it.
 */
public final class Venv {
    private final Path dir;
    private final Path pipCache;
    private final Path log;
    private final Sandbox sandbox;
    private final List<Path> readOnly;
    private final List<Path> writable;
    private Path wheelhouse;
    private Map<String, String> extraEnv = Map.of();

    private Venv(Path dir, Path pipCache, Path log, Sandbox sandbox, List<Path> readOnly, List<Path> writable) {
        this.dir = dir;
        this.pipCache = pipCache;
        this.log = log;
        this.sandbox = sandbox;
        this.readOnly = List.copyOf(readOnly);
        this.writable = List.copyOf(writable);
    }

    /** Creates the venv at {@code dir}, replacing what is there, with local processes. */
    public static Venv create(Toolchain toolchain, Path dir, Path pipCache, Path log) throws StepFailed {
        return create(toolchain, dir, pipCache, log, new LocalSandbox(), List.of(toolchain.prefix()), List.of(dir.getParent()));
    }

    /** Creates the venv at {@code dir} in {@code sandbox}; {@code writable} must hold {@code dir}. */
    public static Venv create(Toolchain toolchain, Path dir, Path pipCache, Path log, Sandbox sandbox,
                              List<Path> readOnly, List<Path> writable) throws StepFailed {
        Venv v = new Venv(dir, pipCache, log, sandbox, readOnly, writable);
        Processes.Run r = v.run(List.of(toolchain.python().toString(), "-m", "venv", "--clear", dir.toString()),
                dir.getParent(), Map.of(), log, Duration.ofMinutes(5));
        if (!r.ok()) {
            throw new StepFailed("cannot create a venv with " + toolchain.python(), r);
        }
        return v;
    }

    /** Environment for every command after this venv's own; a {@code PATH} is put after the venv's {@code bin}. */
    public void environment(Map<String, String> env) {
        this.extraEnv = Map.copyOf(env);
    }

    /** From now on pip installs only from {@code dir} ({@code --no-index --find-links}). */
    public void offline(Path dir) {
        this.wheelhouse = dir;
    }

    /** Runs {@code cmd} in this venv's sandbox. */
    public Processes.Run run(List<String> cmd, Path cwd, Map<String, String> env, Path log, Duration deadline) {
        return sandbox.run(new SandboxCommand(cmd, cwd, env, readOnly, writable, log, deadline));
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public Path python() {
        return dir.resolve("bin/python");
    }

    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        // a container must not write to a cache other builds share
        env.put("PIP_CACHE_DIR", sandbox.kind().equals("container") ? "/tmp/pip-cache" : pipCache.toString());
        if (wheelhouse != null) {
            env.put("PIP_NO_INDEX", "1");
            env.put("PIP_FIND_LINKS", wheelhouse.toString());
        }
        env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        env.put("PIP_NO_INPUT", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("VIRTUAL_ENV", dir.toString());
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("PYTHONHOME", null);
        env.put("PYTHONPATH", null);
        env.put("PYTHON_GIL", null);
        env.putAll(extraEnv);
        if (extraEnv.containsKey("PATH")) {
            env.put("PATH", dir.resolve("bin") + ":" + extraEnv.get("PATH"));
        }
        return env;
    }

    /**
     * {@code pip wheel -v --no-deps} of {@code src} into {@code dist}. In a container the build (the first untrusted
     * code to run) writes only to {@code dist}, {@code extraWritable} and its in-memory {@code /tmp}: it builds a copy
     * of {@code src} made there, with everything else read-only.
     */
    public Processes.Run buildWheel(Path src, Path dist, List<Path> extraWritable, Duration deadline) {
        if (!sandbox.kind().equals("container")) {
            return pip(src, deadline, "wheel", "-v", "--no-deps", "-w", dist.toString(), ".");
        }
        List<Path> ro = new ArrayList<>(readOnly);
        ro.addAll(writable);
        List<Path> rw = new ArrayList<>(List.of(dist));
        rw.addAll(extraWritable);
        List<String> cmd = List.of("sh", "-c", "cp -a \"$1\" /tmp/ftm-src && cd /tmp/ftm-src && exec \"$2\" -m pip wheel -v"
                + " --no-deps -w \"$3\" .", "sh", src.toString(), python().toString(), dist.toString());
        return sandbox.run(new SandboxCommand(cmd, src, env(), ro, rw, log, deadline));
    }

    /** {@code python -m pip ARGS}. */
    public Processes.Run pip(Path cwd, Duration deadline, String... args) {
        List<String> cmd = new ArrayList<>(List.of(python().toString(), "-m", "pip"));
        cmd.addAll(List.of(args));
        return run(cmd, cwd, env(), log, deadline);
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return log;
    }

}
