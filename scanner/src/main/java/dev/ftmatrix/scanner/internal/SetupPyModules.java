package dev.ftmatrix.scanner.internal;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension modules a {@code setup.py} defines for Linux CPython, read by {@code setup_ext_modules.py}: the file
 * is parsed with Python's own {@code ast} module and evaluated abstractly (branches on the platform and interpreter
 * followed as on Linux CPython, variables, comprehensions, helper functions); nothing of the project runs. Python's
 * parser is used because no maintained Python 3 parser exists for the JVM short of a whole interpreter.
 */
public final class SetupPyModules {
    private static final Logger LOG = LoggerFactory.getLogger(SetupPyModules.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "setup_ext_modules.py";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** One module: {@code role} is {@code shipped}, {@code other-platform}, {@code other-interpreter} or {@code optional}. */
    /** @param file where the module is defined, relative to the project root (setup.py, or a helper it imports) */
    public record Module(String name, List<String> sources, String file, int line, String role, Integer conditionLine,
                         List<String> flags) {
        public Module {
            sources = List.copyOf(sources);
            flags = List.copyOf(flags);
        }
    }

    /**
     * What the evaluation found.
     *
     * @param complete true when {@code setup(ext_modules=...)} evaluated to a list of known modules: then no other
     *        module is built by this setup.py
     * @param cffiModules the {@code cffi_modules} builder specs ({@code src/build_ffi.py:ffi})
     * @param extPackage {@code setup(ext_package=...)}: the package of every extension, cffi's included, or ""
     */
    public record Result(List<Module> modules, boolean complete, List<String> cffiModules, String extPackage) {
        public Result {
            modules = List.copyOf(modules);
            cffiModules = List.copyOf(cffiModules);
        }
    }

    private SetupPyModules() {
    }

    /** The reading of {@code setupPy} (relative to the tree); empty when no Python could read it. */
    public static Optional<Result> read(SourceTree tree, String setupPy) {
        Path script;
        try {
            script = Files.createTempFile("ftm-setup-ext-", ".py");
            try (InputStream in = SetupPyModules.class.getResourceAsStream(SCRIPT)) {
                Files.write(script, in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the setup.py reader to a temporary file", e);
        }
        try {
            Path file = tree.root().resolve(setupPy);
            Processes.Run run = Processes.run(List.of(python(), "-I", "-S", script.toString(), file.toString(),
                    tree.root().toString()), file.getParent(), Map.of(), null, l -> { }, DEADLINE);
            String last = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (!run.ok() || last == null) {
                LOG.warn("the setup.py reader failed on {} (exit {}): {}", setupPy, run.exitCode(), run.tail(5));
                return Optional.empty();
            }
            JsonNode j = JSON.readTree(last);
            if (!j.path("error").isNull()) {
                LOG.warn("the setup.py reader could not evaluate {}: {}", setupPy, j.path("error").asText());
                return Optional.empty();
            }
            String dir = SourceTree.dirOf(setupPy);
            List<Module> out = new ArrayList<>();
            for (JsonNode m : j.path("modules")) {
                List<String> sources = new ArrayList<>();
                m.path("sources").forEach(s -> sources.add(BuildDeclarations.join(dir, s.asText())));
                String definedIn = BuildDeclarations.join(dir, m.path("file").asText(setupPy.substring(
                        dir.isEmpty() ? 0 : dir.length() + 1)));
                out.add(new Module(m.path("name").asText(), sources, definedIn, m.path("line").asInt(), m.path("role").asText(),
                        m.path("why").isInt() ? m.path("why").asInt() : null, PyprojectToml.strings(m.path("flags"))));
            }
            return Optional.of(new Result(out, j.path("complete").asBoolean(false),
                    PyprojectToml.strings(j.path("cffiModules")), j.path("extPackage").asText("")));
        } catch (IOException e) {
            LOG.warn("the setup.py reader's answer on {} is not JSON", setupPy, e);
            return Optional.empty();
        } catch (UncheckedIOException e) {
            LOG.warn("no Python to read {} with ({}); setup.py is read as text", setupPy, e.getMessage());
            return Optional.empty();
        } finally {
            try {
                Files.deleteIfExists(script);
            } catch (IOException e) {
                LOG.debug("cannot delete {}", script, e);
            }
        }
    }

    /** {@code $FTM_SCAN_PYTHON}, else {@code python3} on the PATH: any Python 3.9+ parses any setup.py's syntax. */
    private static String python() {
        String p = System.getenv("FTM_SCAN_PYTHON");
        return p != null && !p.isBlank() ? p : "python3";
    }
}
