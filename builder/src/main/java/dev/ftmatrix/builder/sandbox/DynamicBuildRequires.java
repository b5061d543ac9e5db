package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxCommand;
import dev.ftmatrix.builder.Sandbox;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PEP 517 dynamic build requirements: asks the project's backend what it needs beyond {@code [build-system] requires}
 * ({@code get_requires_for_build_wheel}, as pip does before the offline build) and adds that to the wheelhouse:
 * {@code new DynamicBuildRequires(resolved, src, toolchain.python(), sandbox).env(..).log(..).call()}.
 * The hook is project code, so it runs in the sandbox, offline, in a throwaway venv holding the static requirements
 * from the wheelhouse and on a throwaway copy of the tree; only the download runs on the host.
 */
public final class DynamicBuildRequires {
    static final String MARKER = "FTM-DYNAMIC-REQUIRES ";
    /**
     * Makes the venv, installs the static requirements, copies the tree and calls the hook; all under $1. The copy keeps
     * no owners: without capabilities a container cannot set them, and cp -a would then strip the modes. The venv gets
     * no pip of its own when the interpreter has one: that pip installs into it ({@code --python}), which spares the
     * copy of pip that ensurepip installs (about 10 of the hook's 16 s, measured on cp313t on a loaded machine).
     */
    private static final String SCRIPT = """
            set -e
            s=$1 py=$2 wh=$3 src=$4 hook=$5 backend=$6 path=$7; shift 7
            rm -rf "$s" && mkdir -p "$s"
            if "$py" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('pip') is None)"; then
              "$py" -m venv --without-pip "$s/env"; pipin() { "$py" -m pip --python "$s/env/bin/python" "$@"; }
            else
              "$py" -m venv "$s/env"; pipin() { "$s/env/bin/python" -m pip "$@"; }
            fi
            export VIRTUAL_ENV="$s/env" PATH="$s/env/bin:$PATH" PIP_CACHE_DIR="$s/pip-cache"
            if [ $# -gt 0 ]; then pipin install -q --no-index --find-links "$wh" "$@"; fi
            cp -R -P --preserve=mode,timestamps "$src" "$s/src"
            cd "$s/src"
            exec "$s/env/bin/python" "$hook" "$backend" "$path"
            """;

    private final Wheelhouse.Resolved wheelhouse;
    private final Path src;
    private final Path python;
    private final Sandbox sandbox;
    private List<Path> readOnly = List.of();
    private Map<String, String> env = Map.of();
    private Path log;
    private Duration deadline = Duration.ofMinutes(10);

    /**
     * @param wheelhouse the filled static wheelhouse; what the hook asks for is added to it
     * @param src the project's tree (copied before the hook runs: backends write {@code *.egg-info} and the like)
     * @param python the variant's base interpreter: backends answer per interpreter (frozenlist asks free-threaded
     *     CPython for a newer Cython)
     */
    public DynamicBuildRequires(Wheelhouse.Resolved wheelhouse, Path src, Path python, Sandbox sandbox) {
        this.wheelhouse = wheelhouse;
        this.src = src;
        this.python = python;
        this.sandbox = sandbox;
    }

    /** What the sandbox must see besides the wheelhouse and the tree: the toolchain, a Rust toolchain, ... */
    public DynamicBuildRequires readOnly(List<Path> paths) {
        this.readOnly = List.copyOf(paths);
        return this;
    }

    /** The build's environment (a matrix's {@code env}, cargo's); a null value unsets a variable. */
    public DynamicBuildRequires env(Map<String, String> e) {
        this.env = new HashMap<>(e);
        return this;
    }

    /** The file both steps' output is appended to; null for none. */
    public DynamicBuildRequires log(Path file) {
        this.log = file;
        return this;
    }

    /** For the hook and, separately, for the download. */
    public DynamicBuildRequires deadline(Duration d) {
        this.deadline = d;
        return this;
    }

    /**
     * What the backend asked for, or why ftm could not ask or fetch it.
     *
     * @param requires the hook's answer as the backend wrote it
     * @param fetched those of them not among the static requirements: what was added to the wheelhouse
     * @param reason empty when it worked; else one line, starting {@code resolve:}
     * @param logTail the last lines of the step that failed (empty when it worked)
     */
    public record Result(List<String> requires, List<String> fetched, String reason, String logTail) {
        public Result {
            requires = List.copyOf(requires);
            fetched = List.copyOf(fetched);
        }

        public boolean ok() {
            return reason.isEmpty();
        }
    }

    public Result call() {
        if (!wheelhouse.ok() || wheelhouse.backend().isEmpty()) {
            throw new IllegalStateException("dynamic build requirements need a filled wheelhouse, not " + wheelhouse);
        }
        String known = SetuptoolsAnswer.withoutAsking(wheelhouse, src);
        if (!known.isEmpty()) {
            note(known);
            return new Result(List.of(), List.of(), "", "");
        }
        Path script = wheelhouse.dir().resolveSibling("build_requires_hook.py");
        boolean container = sandbox.kind().equals("container");
        // in a container everything the hook writes stays in its in-memory /tmp; locally, next to the wheelhouse
        Path scratch = container ? Path.of("/tmp/ftm-build-hook") : wheelhouse.dir().resolveSibling("build-hook");
        try {
            try (InputStream in = DynamicBuildRequires.class.getResourceAsStream("/dev/ftmatrix/builder/build_requires_hook.py")) {
                Files.write(script, in.readAllBytes());
            }
            List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "sh", scratch.toString(), python.toString(),
                    wheelhouse.dir().toString(), src.toString(), script.toString(), wheelhouse.backend(),
                    new ObjectMapper().writeValueAsString(wheelhouse.backendPath())));
            argv.addAll(wheelhouse.buildRequires());
            Map<String, String> hookEnv = new HashMap<>(env);
            hookEnv.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
            hookEnv.put("PYTHONDONTWRITEBYTECODE", "1");
            hookEnv.put("PYTHONHOME", null);
            hookEnv.put("PYTHONPATH", null);
            List<Path> ro = new ArrayList<>(readOnly);
            ro.addAll(List.of(wheelhouse.dir(), src, script));
            // the wheelhouse is ftm's own: a container runs as the owner of the working directory, and an unpacked
            // sdist's owner may be anyone
            Processes.Run hook = sandbox.run(new SandboxCommand(argv, wheelhouse.dir(), hookEnv, ro,
                    container ? List.of() : List.of(Files.createDirectories(scratch)), log, deadline));
            if (!container) {
                FileTrees.delete(scratch);
            }
            String line = hook.output().lines().filter(l -> l.startsWith(MARKER)).reduce((a, b) -> b).orElse(null);
            if (!hook.ok() || line == null) {
                return new Result(List.of(), List.of(), failed(hook), hook.tail(40));
            }
            List<String> requires = new ObjectMapper().readValue(line.substring(MARKER.length()), new TypeReference<>() { });
            List<String> fetched = requires.stream().filter(r -> !wheelhouse.buildRequires().contains(r)).toList();
            if (fetched.isEmpty()) {
                return new Result(requires, fetched, "", "");
            }
            Processes.Run download = Wheelhouse.fetch(wheelhouse, fetched, log, deadline);
            if (!download.ok()) {
                return new Result(requires, fetched, "resolve: cannot download the build requirements " + fetched
                        + " that " + wheelhouse.backend() + " asked for", download.tail(40));
            }
            return new Result(requires, fetched, "", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void note(String line) {
        if (log == null) {
            return;
        }
        try {
            Files.writeString(log, "[ftm] " + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for people
        }
    }

    /** A limit the sandbox hit is named as a build's would be; anything else is ftm's failure to ask. */
    private String failed(Processes.Run hook) {
        String what = "resolve: the build backend " + wheelhouse.backend() + "'s get_requires_for_build_wheel";
        if (hook.timedOut()) {
            return what + " passed its deadline of " + deadline.toSeconds() + " s; cause: timeout";
        }
        if (hook.output().contains(ContainerSandbox.OUT_OF_MEMORY)) {
            return what + " ran out of memory; cause: out-of-memory";
        }
        return what + (hook.ok() ? " printed no answer" : " failed (exit " + hook.exitCode() + ")")
                + ": ftm could not learn the build requirements, see the log";
    }
}
