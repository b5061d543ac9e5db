package dev.ftmatrix.builder.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The resolve phase, on the host with network: the wheels a project's build and tests need, for one interpreter, in
 * a directory that the offline phases use with {@code --no-index --find-links}. Runs no project code: the build
 * requirements come from {@code pyproject.toml}'s {@code [build-system]}; those its backend asks for at build time
 * come from {@link DynamicBuildRequires}, which runs the backend in the sandbox and adds them with {@link #fetch}.
 */
public final class Wheelhouse {
    private Wheelhouse() {
    }

    /**
     * A filled wheelhouse, or why it could not be filled.
     *
     * @param backendPath {@code [build-system] backend-path}: where an in-tree backend lives, relative to the project
     * @param python the host interpreter whose pip filled it, with its {@code env} and {@code constraints}: what
     *     {@link #fetch} adds more with
     */
    public record Resolved(Path dir, List<String> buildRequires, String backend, List<String> backendPath, Path python,
                           Map<String, String> env, List<String> constraints, Processes.Run run) {
        public Resolved {
            buildRequires = List.copyOf(buildRequires);
            backendPath = List.copyOf(backendPath);
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));   // keeps null values: "unset"
            constraints = List.copyOf(constraints);
        }

        public boolean ok() {
            return run.ok();
        }
    }

    /**
     * @param python an interpreter with pip, of the variant the wheels are for (a fresh venv's)
     * @param constraints pip constraint lines applied to the whole resolution (may be empty)
     */
    public static Resolved resolve(Path python, Path project, List<String> extraRequirements, List<String> constraints,
                                   Path dir, Map<String, String> env, Path log, Duration deadline) {
        try {
            Files.createDirectories(dir);
            Path script = dir.resolveSibling("build_requires.py");
            try (InputStream in = Wheelhouse.class.getResourceAsStream("/dev/ftmatrix/builder/build_requires.py")) {
                Files.write(script, in.readAllBytes());
            }
            Processes.Run probe = Processes.run(List.of(python.toString(), "-I", script.toString(), project.toString()),
                    dir, env, log, l -> { }, Duration.ofMinutes(1));
            String line = probe.output().lines().filter(l -> l.startsWith("FTM-BUILD-REQUIRES ")).findFirst().orElse(null);
            if (line == null) {
                return new Resolved(dir, List.of(), "", List.of(), python, env, constraints, probe);
            }
            JsonNode j = new ObjectMapper().readTree(line.substring("FTM-BUILD-REQUIRES ".length()));
            List<String> requires = new ArrayList<>();
            j.get("requires").forEach(r -> requires.add(r.asText()));
            List<String> backendPath = new ArrayList<>();
            j.get("backendPath").forEach(p -> backendPath.add(p.asText()));
            List<String> all = new ArrayList<>(requires);
            all.addAll(extraRequirements);
            return new Resolved(dir, requires, j.get("backend").asText(), backendPath, python, env, constraints,
                    pipWheel(python, dir, env, constraints, all, log, deadline));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pip wheel}s {@code requirements} (and what they need) into the wheelhouse, under its constraints. */
    public static Processes.Run fetch(Resolved into, List<String> requirements, Path log, Duration deadline) {
        return pipWheel(into.python(), into.dir(), into.env(), into.constraints(), requirements, log, deadline);
    }

    private static Processes.Run pipWheel(Path python, Path dir, Map<String, String> env, List<String> constraints,
                                          List<String> requirements, Path log, Duration deadline) {
        if (requirements.isEmpty()) {
            return new Processes.Run(0, false, "", 0);   // pip wheel refuses an empty list; nothing to fetch is done
        }
        try {
            List<String> cmd = new ArrayList<>(List.of(python.toString(), "-m", "pip", "wheel", "--wheel-dir", dir.toString()));
            if (!constraints.isEmpty()) {
                Path c = dir.resolveSibling("constraints.txt");
                Files.writeString(c, String.join("\n", constraints) + "\n");
                cmd.addAll(List.of("-c", c.toString()));
            }
            cmd.addAll(requirements);
            return ResolveCache.run(env, python, cmd, dir, String.join("\n", constraints),
                    () -> Processes.run(cmd, dir, env, log, l -> { }, deadline));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The wheel declares no dependencies: its {@code *.dist-info/METADATA} has no {@code Requires-Dist} (a pip run that
     * would only find that out is spared). False when the metadata cannot be read: then pip decides.
     */
    public static boolean requiresNothing(Path wheel) {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry meta = zip.stream()
                    .filter(e -> e.getName().matches("[^/]+\\.dist-info/METADATA")).findFirst().orElse(null);
            if (meta == null) {
                return false;
            }
            try (InputStream in = zip.getInputStream(meta)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int body = text.indexOf("\n\n");   // the headers end at the first empty line; the description follows
                return (body < 0 ? text : text.substring(0, body)).lines().noneMatch(l -> l.startsWith("Requires-Dist:"));
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Adds {@code from}'s wheels that {@code to} lacks to {@code to} (linked where the file system allows). */
    public static void merge(Path from, Path to) {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> wheels = Files.list(from)) {
            for (Path w : wheels.filter(p -> p.getFileName().toString().endsWith(".whl")).toList()) {
                Path target = to.resolve(w.getFileName().toString());
                if (Files.exists(target)) {
                    continue;
                }
                try {
                    Files.createLink(target, w);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(w, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add the wheels of " + from + " to " + to, e);
        }
    }
}
