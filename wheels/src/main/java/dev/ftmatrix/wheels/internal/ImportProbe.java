package dev.ftmatrix.wheels.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.wheels.ModuleImport;
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

/**
 * Imports each extension module of an installed wheel in the sandbox with {@code PYTHON_GIL} unset
 * ({@code import_probe.py}): one sandbox run per wheel; the modules one after another in shared fresh interpreters
 * while the GIL stays off and they import, and each module that failed or came after the GIL was turned on alone in
 * its own fresh interpreter.
 */
public final class ImportProbe {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration PER_MODULE = Duration.ofSeconds(120);
    private final Isolation isolation;

    public ImportProbe(Isolation isolation) {
        this.isolation = isolation;
    }

    /** The imports, one per module in order; or why the probe itself failed (ftm's failure). */
    public record Outcome(List<ModuleImport> imports, String failure) {
        public Outcome {
            imports = List.copyOf(imports);
        }
    }

    public Outcome run(Toolchain t, Path venv, List<String> modules, Path work, Path log) {
        try {
            Path script = work.resolve("import_probe.py");
            try (InputStream in = ImportProbe.class.getResourceAsStream("/dev/ftmatrix/wheels/import_probe.py")) {
                Files.write(script, in.readAllBytes());
            }
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
            Processes.Run r = isolation.run(List.of(venv.resolve("bin/python").toString(), "-I", script.toString(),
                    spec.toString()), work, env, List.of(t.prefix(), work), List.of(), log, deadline);
            Map<String, ModuleImport> byName = new LinkedHashMap<>();
            for (String line : r.output().lines().toList()) {
                if (line.startsWith("FTM-IMPORT ")) {
                    ModuleImport m = parse(MAPPER.readTree(line.substring("FTM-IMPORT ".length())));
                    byName.put(m.module(), m);
                }
            }
            if (Isolation.stoppedByLimit(r.output())) {
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

    private static ModuleImport parse(JsonNode j) {
        List<String> needs = new ArrayList<>();
        j.path("needsGil").forEach(n -> needs.add(n.asText()));
        JsonNode gil = j.path("gil");
        String warning = j.path("warnings").isEmpty() ? "" : j.path("warnings").get(0).asText();
        return new ModuleImport(j.path("module").asText(), j.path("ok").asBoolean(), j.path("error").asText(""),
                gil.isBoolean() ? gil.asBoolean() : null, needs, warning);
    }
}
