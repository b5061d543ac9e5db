package dev.ftmatrix.wheels.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.wheels.Dependencies;
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
 * A fresh venv of a toolchain with one wheel installed and its dependencies as pip resolves them for that
 * interpreter, wheels only. Runs on the host with network: installing wheels runs none of their code (no sdist is
 * built: {@code --only-binary=:all:}); their imports run in the sandbox.
 */
public final class Installer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path pipCache;

    public Installer(Path pipCache) {
        this.pipCache = pipCache;
    }

    /** The venv is made; an exception here is ftm's failure, never the project's. */
    public record Installed(Path venv, Dependencies dependencies) {
        public Path python() {
            return venv.resolve("bin/python");
        }
    }

    public Installed install(Toolchain t, Path wheel, Path venv, Path log) {
        Processes.Run mk = Processes.run(List.of(t.python().toString(), "-m", "venv", "--without-pip", "--clear",
                venv.toString()), venv.getParent(), env(), log, l -> { }, Duration.ofMinutes(2));
        if (!mk.ok()) {
            throw new IllegalStateException("cannot create a venv with " + t.python() + ": " + mk.tail(3));
        }
        Path report = venv.resolveSibling(venv.getFileName() + "-install.json");
        Processes.Run withDeps = pip(t, venv, report, log, "--only-binary=:all:", wheel.toString());
        if (withDeps.ok()) {
            return new Installed(venv, new Dependencies(installed(report, wheel), ""));
        }
        String why = lastError(withDeps);
        Processes.Run alone = pip(t, venv, report, log, "--no-deps", wheel.toString());
        if (!alone.ok()) {
            throw new IllegalStateException("pip cannot install " + wheel.getFileName() + " into a fresh " + t.variant()
                    + " venv: " + lastError(alone));
        }
        return new Installed(venv, new Dependencies(List.of(), "its dependencies could not be installed as wheels for "
                + t.variant() + ": " + why));
    }

    /**
     * No byte-compiling: pip would compile every file of the wheel and its dependencies (8 of numpy 2.2.6's 14 s
     * install here), while the probe's few interpreters compile in memory only what they import.
     */
    private Processes.Run pip(Toolchain t, Path venv, Path report, Path log, String... args) {
        List<String> cmd = new ArrayList<>(List.of(t.python().toString(), "-m", "pip", "--python",
                venv.resolve("bin/python").toString(), "install", "--quiet", "--no-compile", "--report", report.toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, venv.getParent(), env(), log, l -> { }, Duration.ofMinutes(10));
    }

    private Map<String, String> env() {
        return pipEnvironment(pipCache);
    }

    /** The environment of every pip this module runs on the host: one download cache, no prompts, no stray venv. */
    static Map<String, String> pipEnvironment(Path pipCache) {
        Map<String, String> env = new HashMap<>();
        env.put("PIP_CACHE_DIR", pipCache.toString());
        env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        env.put("PIP_NO_INPUT", "1");
        env.put("PIP_ROOT_USER_ACTION", "ignore");
        env.put("PYTHONHOME", null);
        env.put("PYTHONPATH", null);
        env.put("PYTHON_GIL", null);
        env.put("VIRTUAL_ENV", null);
        return env;
    }

    /** {@code name==version} of what pip's report says it installed, the wheel itself left out. */
    private static List<String> installed(Path report, Path wheel) {
        try {
            JsonNode root = MAPPER.readTree(Files.readString(report));
            List<String> out = new ArrayList<>();
            for (JsonNode i : root.path("install")) {
                String url = i.path("download_info").path("url").asText("");
                if (url.endsWith("/" + wheel.getFileName())) {
                    continue;
                }
                out.add(i.path("metadata").path("name").asText() + "==" + i.path("metadata").path("version").asText());
            }
            out.sort(String.CASE_INSENSITIVE_ORDER);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pip's install report " + report, e);
        }
    }

    /** pip's own last {@code ERROR:} lines, which name the requirement it could not satisfy. */
    static String lastError(Processes.Run r) {
        List<String> errors = r.output().lines().filter(l -> l.startsWith("ERROR:"))
                .map(l -> l.substring("ERROR:".length()).strip()).toList();
        String s = errors.isEmpty() ? r.tail(3) : String.join("; ", errors.subList(Math.max(0, errors.size() - 2),
                errors.size()));
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }
}
