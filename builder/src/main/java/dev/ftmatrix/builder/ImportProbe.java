package dev.ftmatrix.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports each extension module of an installed project with {@code PYTHON_GIL} unset ({@code import_probe.py
 * --fresh}): one sandbox run; the modules one after another in shared fresh interpreters while the GIL stays off and
 * they import, and each module that failed or came after the GIL was turned on alone in its own fresh interpreter.
 * The script's other entry point, {@code probe(names)}, is the FFM harness's import in its own interpreter.
 */
public final class ImportProbe {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration PER_MODULE = Duration.ofSeconds(120);
    private static final Pattern REENABLED_BY = Pattern.compile("to load module '([^']+)'");

    private ImportProbe() {
    }

    /** Runs the probe's command in the sandbox of the installed project, with this environment and deadline. */
    @FunctionalInterface
    public interface Runner {
        Processes.Run run(List<String> argv, Map<String, String> env, Duration deadline);
    }

    /** The imports, one per module in order; or why the probe itself failed (ftm's failure). */
    public record Outcome(List<ModuleImport> imports, String failure) {
        public Outcome {
            imports = List.copyOf(imports);
        }

        /**
         * What stopped the probe short of an answer for every module: its own failure, or the first import the
         * interpreter did not survive or finish; "" when every module has one.
         */
        public String unfinished() {
            return !failure.isEmpty() ? failure : imports.stream().filter(m -> m.gilEnabledAfterImport() == null)
                    .map(m -> "importing " + m.module() + ": " + m.error()).findFirst().orElse("");
        }

        /** Whether importing the modules left the GIL on (a GIL build's always is); null when not measured. */
        public Boolean gilEnabledAfter() {
            return imports.isEmpty() || !unfinished().isEmpty() ? null
                    : imports.stream().anyMatch(m -> m.gilEnabledAfterImport());
        }

        /** The module CPython named when it turned the GIL on (its warning names one per interpreter), or "". */
        public String reenabledBy() {
            return imports.stream().map(m -> REENABLED_BY.matcher(m.warning())).filter(Matcher::find)
                    .map(w -> w.group(1)).findFirst().orElse("");
        }

        /** Each module that did not import, with its error, by name. */
        public Map<String, String> errors() {
            Map<String, String> out = new TreeMap<>();
            imports.stream().filter(m -> !m.imported()).forEach(m -> out.put(m.module(), m.error()));
            return out;
        }
    }

    /** Writes the script ({@code import_probe.py}) into {@code dir}; returns its path. */
    public static Path script(Path dir) {
        Path script = dir.resolve("import_probe.py");
        try (InputStream in = ImportProbe.class.getResourceAsStream("/dev/ftmatrix/builder/import_probe.py")) {
            Files.createDirectories(dir);
            Files.write(script, in.readAllBytes());
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports {@code modules} with {@code python} (a venv's), writing the script and its spec into {@code work}. */
    public static Outcome run(Path python, List<String> modules, Path work, Runner runner) {
        try {
            Path script = script(work);
            Path spec = work.resolve("import_probe.json");
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("modules", modules);
            s.put("deadline", PER_MODULE.toSeconds());
            s.put("parallel", 2);
            MAPPER.writeValue(spec.toFile(), s);
            Map<String, String> env = new HashMap<>();
            env.put("PYTHON_GIL", null);
            env.put("PYTHONPATH", null);
            env.put("PYTHONHOME", null);
            // the shared interpreters (each stopped at PER_MODULE), then each module alone in the worst case
            Duration deadline = PER_MODULE.multipliedBy(Math.max(2, modules.size() / 2 + 2) + Math.min(modules.size(), 4))
                    .plusMinutes(1);
            Processes.Run r = runner.run(List.of(python.toString(), "-I", script.toString(), "--fresh",
                    spec.toString()), env, deadline);
            Map<String, ModuleImport> byName = new LinkedHashMap<>();
            for (String line : r.output().lines().toList()) {
                if (line.startsWith("FTM-IMPORT ")) {
                    ModuleImport m = parse(MAPPER.readTree(line.substring("FTM-IMPORT ".length())));
                    byName.put(m.module(), m);
                }
            }
            if (stoppedByLimit(r.output())) {
                return new Outcome(List.copyOf(byName.values()), "the sandbox stopped the imports: " + r.tail(1));
            }
            if (byName.size() != modules.size()) {
                return new Outcome(List.copyOf(byName.values()), "the import probe ended (exit " + r.exitCode()
                        + ") after " + byName.size() + " of " + modules.size() + " modules: " + r.tail(3));
            }
            List<ModuleImport> ordered = new ArrayList<>();
            modules.forEach(m -> ordered.add(byName.get(m)));
            return new Outcome(ordered, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the sandbox says it killed a command for a limit (memory): ftm's limit, not the project's failure. */
    private static boolean stoppedByLimit(String output) {
        return output.contains("ftm sandbox: killed") || output.contains("ftm sandbox: stopped");
    }

    private static ModuleImport parse(JsonNode j) {
        List<String> needs = new ArrayList<>();
        j.path("needsGil").forEach(n -> needs.add(n.asText()));
        JsonNode gil = j.path("gil");
        String warning = j.path("warnings").isEmpty() ? "" : j.path("warnings").get(0).asText();
        return new ModuleImport(j.path("module").asText(), j.path("ok").asBoolean(), j.path("error").asText(""),
                gil.isBoolean() ? gil.asBoolean() : null, needs, warning);
    }
}
