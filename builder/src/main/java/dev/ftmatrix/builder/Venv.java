package dev.ftmatrix.builder;

import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.builder.sandbox.LocalSandbox;
import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        Path template = template(toolchain, pipCache.toAbsolutePath().resolveSibling("venvs"), log);
        // a copy of the toolchain's pristine venv, its paths made this one's: what `python -m venv --clear` makes,
        // without installing pip again each time (about 10 s under load, against well under one)
        FileTrees.copy(template, dir);
        try {
            relocate(dir, template, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the venv " + dir, e);
        }
        return v;
    }

    /** The paths {@code from} that venv wrote into {@code venv}'s scripts and {@code pyvenv.cfg}, made {@code to}. */
    private static void relocate(Path venv, Path from, Path to) throws IOException {
        try (var files = Files.list(venv.resolve("bin"))) {
            for (Path f : files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                replaceIn(f, from, to);
            }
        }
        replaceIn(venv.resolve("pyvenv.cfg"), from, to);
    }

    private static void replaceIn(Path file, Path from, Path to) throws IOException {
        String text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.contains(from.toString())) {
            Files.writeString(file, text.replace(from.toString(), to.toString()), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The toolchain's pristine venv ({@code python -m venv}, pip included), made once in the cache
     * ({@code root}: {@code CACHE/venvs}, beside the pip cache) by the toolchain's own interpreter, which runs no
     * project code.
     */
    private static Path template(Toolchain toolchain, Path root, Path log) throws StepFailed {
        Path template = root.resolve(toolchain.variant().id() + "-"
                + dev.ftmatrix.support.Digests.sha256(toolchain.prefix().toString()).substring(0, 16));
        if (Files.isRegularFile(template.resolve("pyvenv.cfg"))) {
            return template;
        }
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, template.getFileName() + ".tmp-");
            Processes.Run r = Processes.run(List.of(toolchain.python().toString(), "-m", "venv", "--clear", tmp.toString()),
                    root, Map.of(), log, l -> { }, Duration.ofMinutes(5));
            if (!r.ok()) {
                FileTrees.delete(tmp);
                throw new StepFailed("cannot create a venv with " + toolchain.python(), r);
            }
            relocate(tmp, tmp, template);   // the template's paths, written under its temporary name
            try {
                Files.move(tmp, template, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                FileTrees.delete(tmp);   // another run made it first: theirs is as good
            }
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the venv template " + template, e);
        }
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
        // the copy keeps modes and times, not owners: a tree of another uid (an sdist unpacked as that user) would make
        // cp -a fail in a container that cannot set owners, and the build would pass for the project's failure
        List<String> cmd = List.of("sh", "-c", "cp -R -P --preserve=mode,timestamps \"$1\" /tmp/ftm-src && cd /tmp/ftm-src"
                + " && exec \"$2\" -m pip wheel -v"
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
