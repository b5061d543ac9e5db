package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.scanner.ProjectScan;
import java.util.List;
import java.util.regex.Pattern;

/** What Rust crates in the tree say about PyO3: the dependency as written in Cargo.toml and the locked version. */
public final class CargoFacts {
    private static final Pattern PYO3_DEP = Pattern.compile("(?m)^\\s*(pyo3\\s*=|\\[(workspace\\.)?dependencies\\.pyo3\\])");

    private CargoFacts() {
    }

    /** The PyO3 dependency, if any crate of the project has one. */
    public record Pyo3(String requirement, String lockedVersion, List<String> features, String evidence,
                       List<ProjectScan.Pin> pins) {
        public Pyo3 {
            features = List.copyOf(features);
            pins = List.copyOf(pins);
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
                return new Pyo3(req, locked(tree, f), features, tree.find(f, PYO3_DEP).orElse(f), pins(tree, f));
            }
        }
        return null;
    }

    /** Where {@code cargoToml} pins pyo3 and pyo3-ffi (they move together), each version as written. */
    private static List<ProjectScan.Pin> pins(SourceTree tree, String cargoToml) {
        return CargoPins.find(tree.text(cargoToml), List.of("pyo3", "pyo3-ffi")).stream()
                .map(p -> new ProjectScan.Pin(cargoToml, tree.lineAt(cargoToml, p.start()), p.crate(), p.version()))
                .toList();
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
