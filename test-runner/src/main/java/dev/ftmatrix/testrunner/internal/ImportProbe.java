package dev.ftmatrix.testrunner.internal;

import dev.ftmatrix.builder.Venv;
import dev.ftmatrix.builder.StepFailed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Imports a project's extension modules in a fresh interpreter and reports whether the GIL came back on. */
public final class ImportProbe {
    /** What importing the modules did; {@code gilEnabledAfter} is null on a build without the GIL switch. */
    public record Result(Boolean gilEnabledAfter, String reenabledBy, Map<String, String> errors) {
    }

    private ImportProbe() {
    }

    public static Result run(Venv venv, Path work, List<String> modules, Map<String, String> extraEnv) throws StepFailed {
        PytestSession.copyResource("import_probe.py", work);
        List<String> cmd = new ArrayList<>(List.of(venv.python().toString(), "-P", work.resolve("import_probe.py").toString()));
        cmd.addAll(modules);
        Map<String, String> env = new HashMap<>(venv.env());
        env.putAll(extraEnv);
        Processes.Run run = venv.run(cmd, work, env, venv.log(), Duration.ofMinutes(2));
        String line = run.output().lines().filter(l -> l.startsWith("FTM-IMPORT ")).reduce((a, b) -> b).orElse(null);
        if (line == null) {
            throw new StepFailed("importing " + String.join(", ", modules) + " killed the interpreter (exit "
                    + run.exitCode() + ")", run);
        }
        try {
            JsonNode j = new ObjectMapper().readTree(line.substring("FTM-IMPORT ".length()));
            JsonNode after = j.get("gilEnabledAfter");
            Map<String, String> errors = new TreeMap<>();
            j.get("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asText()));
            return new Result(after.isNull() ? null : after.asBoolean(), j.get("reenabledBy").asText(), errors);
        } catch (IOException e) {
            throw new StepFailed("unreadable import probe output: " + line, run);
        }
    }
}
