package dev.ftmatrix.testrunner.internal;

import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.toolchain.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fresh virtual environment of one toolchain, with pip calls that share one download cache. */
public final class Venv {
    private final Path dir;
    private final Path pipCache;
    private final Path log;

    private Venv(Path dir, Path pipCache, Path log) {
        this.dir = dir;
        this.pipCache = pipCache;
        this.log = log;
    }

    /** Creates the venv at {@code dir}, replacing what is there. */
    public static Venv create(Toolchain toolchain, Path dir, Path pipCache, Path log) throws StepFailed {
        Processes.Run r = Processes.run(List.of(toolchain.python().toString(), "-m", "venv", "--clear", dir.toString()),
                dir.getParent(), Map.of(), log, l -> { }, Duration.ofMinutes(5));
        if (!r.ok()) {
            throw new StepFailed("cannot create a venv with " + toolchain.python(), r);
        }
        return new Venv(dir, pipCache, log);
    }

    public Path python() {
        return dir.resolve("bin/python");
    }

    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PIP_CACHE_DIR", pipCache.toString());
        env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        env.put("PIP_NO_INPUT", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("VIRTUAL_ENV", dir.toString());
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("PYTHONHOME", null);
        env.put("PYTHONPATH", null);
        env.put("PYTHON_GIL", null);
        return env;
    }

    /** {@code python -m pip ARGS}. */
    public Processes.Run pip(Path cwd, Duration deadline, String... args) {
        List<String> cmd = new ArrayList<>(List.of(python().toString(), "-m", "pip"));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, cwd, env(), log, l -> { }, deadline);
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return log;
    }

}
