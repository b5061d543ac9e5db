package dev.ftmatrix.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CargoDependencyTest {
    private static Optional<CargoDependency> pyo3(Map<String, String> files) {
        List<String> manifests = files.keySet().stream().filter(f -> f.endsWith("Cargo.toml")).sorted().toList();
        return CargoDependency.find(manifests, files::get, "pyo3", List.of("pyo3-ffi"));
    }

    @Test
    void aDependenciesTableOfItsOwnIsRead() {
        // rpds-py 0.21.0 writes it so: the patcher's old pattern missed it and no patched rebuild ran
        CargoDependency d = pyo3(Map.of("Cargo.toml", """
                [package]
                name = "rpds-py"

                [dependencies.pyo3]
                version = "0.22.6"
                features = ["extension-module"]
                """)).orElseThrow();
        assertEquals("0.22.6", d.requirement());
        assertEquals(List.of("extension-module"), d.features());
        assertEquals("Cargo.toml:4", d.evidence());
        assertEquals(List.of(new CargoDependency.Pin("pyo3", "0.22.6", "Cargo.toml", 5)), d.pins());
        assertNull(d.locked());
        assertEquals("0.22.6", d.version());
    }

    @Test
    void aStringAndAnInlineTableAreRead() {
        assertEquals("0.20", pyo3(Map.of("Cargo.toml", "[dependencies]\npyo3 = \"0.20\"\n")).orElseThrow().requirement());
        CargoDependency d = pyo3(Map.of("Cargo.toml",
                "[dependencies]\npyo3 = { version = \"=0.23.1\", features = [\"abi3-py39\"] }\n")).orElseThrow();
        assertEquals("=0.23.1", d.requirement());
        assertEquals(List.of("abi3-py39"), d.features());
    }

    @Test
    void cargoLockResolvedVersionTakesPrecedence() {
        CargoDependency d = pyo3(Map.of(
                "rust/Cargo.toml", "[dependencies]\npyo3 = \">=0.22\"\n",
                "Cargo.lock", "version = 3\n\n[[package]]\nname = \"memchr\"\nversion = \"2.7.4\"\n\n"
                        + "[[package]]\nname = \"pyo3\"\nversion = \"0.27.2\"\n")).orElseThrow();
        assertEquals(">=0.22", d.requirement());
        assertEquals(new CargoDependency.Locked("0.27.2", "Cargo.lock", 8), d.locked());
        assertEquals("0.27.2", d.version());
    }

    @Test
    void aWorkspaceMemberDefersToTheWorkspacesVersion() {
        CargoDependency d = pyo3(Map.of(
                "Cargo.toml", "[workspace]\nmembers = [\"py\"]\n[workspace.dependencies.pyo3]\nversion = \"0.24\"\n",
                "py/Cargo.toml", "[dependencies]\npyo3 = { workspace = true, features = [\"macros\"] }\n")).orElseThrow();
        assertEquals("Cargo.toml", d.manifest());
        assertEquals("0.24", d.requirement());
    }

    @Test
    void noDependencyOnlyOtherCrates() {
        assertTrue(pyo3(Map.of("Cargo.toml", "[dependencies]\npyo3-ffi = \"0.22\"\n[dev-dependencies]\npyo3 = \"0.22\"\n"))
                .isEmpty());
    }

    @Test
    void aManifestThatIsNotTomlNamesItself() {
        CargoDependency.InvalidManifest e = assertThrows(CargoDependency.InvalidManifest.class,
                () -> pyo3(Map.of("Cargo.toml", "[dependencies]\npyo3 = \"0.22\n")));
        assertEquals("Cargo.toml", e.file());
    }
}
