package dev.ftmatrix.testrunner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.toolchain.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resolve phase, on the host with network: the wheels a project's build and tests need, for one interpreter, in
 * a directory that the offline phases use with {@code --no-index --find-links}. Runs no project code: the build
 * requirements come from {@code pyproject.toml}'s {@code [build-system]}.
 */
public final class Wheelhouse {
    private Wheelhouse() {
    }

    /** A filled wheelhouse, or why it could not be filled. */
    public record Resolved(Path dir, List<String> buildRequires, String backend, Processes.Run run) {
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
            try (InputStream in = Wheelhouse.class.getResourceAsStream("/dev/ftmatrix/testrunner/build_requires.py")) {
                Files.write(script, in.readAllBytes());
            }
            Processes.Run probe = Processes.run(List.of(python.toString(), "-I", script.toString(), project.toString()),
                    dir, env, log, l -> { }, Duration.ofMinutes(1));
            String line = probe.output().lines().filter(l -> l.startsWith("FTM-BUILD-REQUIRES ")).findFirst().orElse(null);
            if (line == null) {
                return new Resolved(dir, List.of(), "", probe);
            }
            JsonNode j = new ObjectMapper().readTree(line.substring("FTM-BUILD-REQUIRES ".length()));
            List<String> requires = new ArrayList<>();
            j.get("requires").forEach(r -> requires.add(r.asText()));
            List<String> cmd = new ArrayList<>(List.of(python.toString(), "-m", "pip", "wheel", "--wheel-dir", dir.toString()));
            if (!constraints.isEmpty()) {
                Path c = dir.resolveSibling("constraints.txt");
                Files.writeString(c, String.join("\n", constraints) + "\n");
                cmd.addAll(List.of("-c", c.toString()));
            }
            cmd.addAll(requires);
            cmd.addAll(extraRequirements);
            Processes.Run run = Processes.run(cmd, dir, env, log, l -> { }, deadline);
            return new Resolved(dir, requires, j.get("backend").asText(), run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
