package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/** What Rust crates in the tree say about PyO3: the dependency as written in Cargo.toml and the locked version. */
public final class CargoFacts {
    private static final Pattern PYO3_DEP = Pattern.compile("(?m)^\\s*(pyo3\\s*=|\\[(workspace\\.)?dependencies\\.pyo3\\])");

    private CargoFacts() {
    }

    /** The PyO3 dependency, if any crate of the project has one. */
    public record Pyo3(String requirement, String lockedVersion, List<String> features, String evidence) {
        public Pyo3 {
            features = List.copyOf(features);
        }
    }

    /** The Python module name a crate builds: its {@code [lib] name}, else its package name with {@code _}. */
    static String libName(SourceTree tree, String crateDir) {
        JsonNode cargo = PyprojectToml.read(tree, crateDir.isEmpty() ? "Cargo.toml" : crateDir + "/Cargo.toml");
        String lib = cargo.path("lib").path("name").asText("");
        return !lib.isEmpty() ? lib : cargo.path("package").path("name").asText("").replace('-', '_');
    }

    /** The PyO3 dependency of the project's own crates; null when none depends on it. */
    public static Pyo3 pyo3(SourceTree tree) {
        for (String f : tree.named("Cargo.toml")) {
            if (SourceTree.vendored(f) || SourceTree.notShipped(f) || tree.find(f, PYO3_DEP).isEmpty()) {
                continue;
            }
            JsonNode cargo = PyprojectToml.read(tree, f);
            for (JsonNode deps : List.of(cargo.path("dependencies"), cargo.path("workspace").path("dependencies"))) {
                JsonNode dep = deps.path("pyo3");
                if (dep.isMissingNode()) {
                    continue;
                }
                String req = dep.isTextual() ? dep.asText() : dep.path("version").asText(null);
                List<String> features = PyprojectToml.strings(dep.path("features"));
                if (req == null && dep.path("workspace").asBoolean(false)) {
                    continue;   // the workspace's Cargo.toml has the version
                }
                return new Pyo3(req, locked(tree, f), features, tree.find(f, PYO3_DEP).orElse(f));
            }
        }
        return null;
    }

    /** The pyo3 version in the Cargo.lock next to {@code cargoToml} or at the root. */
    private static String locked(SourceTree tree, String cargoToml) {
        String dir = SourceTree.dirOf(cargoToml);
        for (String lock : List.of(dir.isEmpty() ? "Cargo.lock" : dir + "/Cargo.lock", "Cargo.lock")) {
            for (JsonNode p : PyprojectToml.read(tree, lock).path("package")) {
                if (p.path("name").asText().equals("pyo3")) {
                    return p.path("version").asText(null);
                }
            }
        }
        return null;
    }
}
