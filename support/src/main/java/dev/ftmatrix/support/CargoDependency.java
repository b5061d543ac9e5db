package dev.ftmatrix.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One crate a Rust project depends on, as Cargo reads it: the requirement its {@code Cargo.toml} writes
 * ({@code pyo3 = "0.22"}, {@code pyo3 = { version = "0.22", ... }}, {@code pyo3.version = "0.22"}, a
 * {@code [dependencies.pyo3]} or {@code [workspace.dependencies.pyo3]} table), its features, the version
 * {@code Cargo.lock} resolved (what actually builds, so it takes precedence), and every place the manifest pins it.
 * The one reading of a crate's version: the scanner (binding layers, pins) and the abi-checker (PyO3's GIL default)
 * both take it from here.
 *
 * @param crate the crate's name
 * @param requirement the version requirement as written; null when the manifest gives none (a git or path dependency)
 * @param features the features the manifest turns on
 * @param manifest the {@code Cargo.toml} that depends on it, relative to the project's root
 * @param line the line of the dependency in it
 * @param locked what {@code Cargo.lock} resolved; null when no lock file names the crate
 * @param pins where the manifest pins the crate and the crates that move with it, each version as written
 */
public record CargoDependency(String crate, String requirement, List<String> features, String manifest, int line,
                              Locked locked, List<Pin> pins) {
    private static final TomlMapper TOML = new TomlMapper();

    public CargoDependency {
        features = List.copyOf(features);
        pins = List.copyOf(pins);
    }

    /** The version {@code Cargo.lock} resolved, and the line of its entry in {@code file}. */
    public record Locked(String version, String file, int line) {
    }

    /** One place a manifest pins a crate's version ({@code version} as written), which a patch rewrites there. */
    public record Pin(String crate, String version, String manifest, int line) {
    }

    /** A {@code Cargo.toml} or {@code Cargo.lock} that is not TOML: the file and the parser's reason. */
    public static final class InvalidManifest extends IllegalArgumentException {
        private final String file;

        InvalidManifest(String file, IOException cause) {
            super(file + " is not valid TOML: " + cause.getMessage().replaceAll("\\s+", " "), cause);
            this.file = file;
        }

        /** The file, relative to the project's root. */
        public String file() {
            return file;
        }
    }

    /** The version that builds: the locked one, else the requirement as written; null when neither is known. */
    public String version() {
        return locked != null ? locked.version() : requirement;
    }

    /** {@code file:line} of the dependency in its manifest. */
    public String evidence() {
        return manifest + ":" + line;
    }

    /**
     * The dependency on {@code crate} of the first of {@code manifests} that has one (a workspace member's
     * {@code crate = { workspace = true }} defers to the workspace's manifest, later in the list).
     *
     * @param manifests {@code Cargo.toml} files relative to the root, in the order to try them
     * @param text a file's text by relative path; null when there is no such file
     * @param movesWith crates pinned together with {@code crate} (pyo3-ffi with pyo3), whose pins are listed too
     * @throws InvalidManifest when a manifest or lock file that names the crate is not TOML
     */
    public static Optional<CargoDependency> find(List<String> manifests, Function<String, String> text, String crate,
                                                 List<String> movesWith) {
        Pattern mention = Pattern.compile("(?m)^[ \\t]*(" + Pattern.quote(crate) + "\\s*[=.]|\\[\\s*(workspace\\.)?dependencies\\."
                + Pattern.quote(crate) + "\\s*\\])");
        for (String manifest : manifests) {
            String toml = text.apply(manifest);
            Matcher at = toml == null ? null : mention.matcher(toml);
            if (at == null || !at.find()) {
                continue;
            }
            JsonNode cargo = parse(manifest, toml);
            for (JsonNode deps : List.of(cargo.path("dependencies"), cargo.path("workspace").path("dependencies"))) {
                JsonNode dep = deps.path(crate);
                if (dep.isMissingNode()) {
                    continue;
                }
                String requirement = dep.isTextual() ? dep.asText() : dep.path("version").asText(null);
                if (requirement == null && dep.path("workspace").asBoolean(false)) {
                    continue;   // the workspace's Cargo.toml has the version
                }
                List<String> features = new ArrayList<>();
                dep.path("features").forEach(n -> features.add(n.asText()));
                List<Pin> pins = CargoPins.find(toml, Stream.concat(Stream.of(crate), movesWith.stream()).toList())
                        .stream().map(p -> new Pin(p.crate(), p.version(), manifest, TextLines.lineAt(toml, p.start()))).toList();
                return Optional.of(new CargoDependency(crate, requirement, features, manifest, TextLines.lineAt(toml, at.start()),
                        locked(manifest, text, crate), pins));
            }
        }
        return Optional.empty();
    }

    /** The crate's entry in the Cargo.lock beside {@code manifest}, else in the one at the root. */
    private static Locked locked(String manifest, Function<String, String> text, String crate) {
        int slash = manifest.lastIndexOf('/');
        List<String> locks = slash < 0 ? List.of("Cargo.lock") : List.of(manifest.substring(0, slash) + "/Cargo.lock", "Cargo.lock");
        for (String lock : locks) {
            String toml = text.apply(lock);
            if (toml == null) {
                continue;
            }
            for (JsonNode p : parse(lock, toml).path("package")) {
                if (p.path("name").asText().equals(crate) && p.hasNonNull("version")) {
                    Matcher entry = Pattern.compile("(?m)^name\\s*=\\s*\"" + Pattern.quote(crate) + "\"").matcher(toml);
                    return new Locked(p.path("version").asText(), lock, entry.find() ? TextLines.lineAt(toml, entry.start()) : 1);
                }
            }
        }
        return null;
    }

    private static JsonNode parse(String file, String toml) {
        if (toml.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return TOML.readTree(toml);
        } catch (IOException e) {
            throw new InvalidManifest(file, e);
        }
    }
}
