package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.support.CargoDependency;
import java.util.List;

/** What the project's own Rust crates say: the module a crate builds, and its PyO3 dependency (read by support). */
public final class CargoFacts {
    private CargoFacts() {
    }

    /** The Python module name a crate builds: its {@code [lib] name}, else its package name with {@code _}. */
    static String libName(SourceTree tree, String crateDir) {
        JsonNode cargo = PyprojectToml.read(tree, crateDir.isEmpty() ? "Cargo.toml" : crateDir + "/Cargo.toml");
        String lib = cargo.path("lib").path("name").asText("");
        return !lib.isEmpty() ? lib : cargo.path("package").path("name").asText("").replace('-', '_');
    }

    /**
     * The PyO3 dependency of the project's own crates (not vendored, test or example ones), with where pyo3 and
     * pyo3-ffi (they move together) are pinned; null when none depends on it.
     */
    public static CargoDependency pyo3(SourceTree tree) {
        List<String> manifests = tree.named("Cargo.toml").stream()
                .filter(f -> !SourceTree.vendored(f) && !SourceTree.notShipped(f)).toList();
        try {
            return CargoDependency.find(manifests, f -> tree.exists(f) ? tree.text(f) : null, "pyo3", List.of("pyo3-ffi"))
                    .orElse(null);
        } catch (CargoDependency.InvalidManifest e) {
            throw new UserInputException(e.getMessage() + "; fix the file (cargo could not build it either)", e);
        }
    }
}
