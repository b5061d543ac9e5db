package dev.ftmatrix.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CargoPinsTest {
    @Test
    void everyWayCargoPinsTheCratesIsFoundAndOnlyThose() {
        String toml = """
                [workspace.dependencies]
                pyo3 = "0.21"
                pyo3-build-config = "0.19"
                [dependencies]
                pyo3 = { version = "=0.22.2", features = ["abi3"] }
                pyo3-ffi.version = "0.22.1"
                serde = { workspace = true }
                [dependencies.pyo3-ffi]
                features = ["extension-module"]
                version = "^0.20"
                [target.'cfg(unix)'.dependencies.pyo3]
                version = "0.18"
                [workspace.dependencies.pyo3]
                default-features = false
                [dev-dependencies]
                version = "9.9"
                """;
        List<CargoPins.Pin> pins = CargoPins.find(toml, List.of("pyo3", "pyo3-ffi"));
        assertEquals(List.of("pyo3 0.21", "pyo3 =0.22.2", "pyo3-ffi 0.22.1", "pyo3-ffi ^0.20", "pyo3 0.18"),
                pins.stream().map(p -> p.crate() + " " + p.version()).toList());
        // each at its own place: the text there is the version as written
        pins.forEach(p -> assertEquals(p.version(), toml.substring(p.start(), p.start() + p.version().length())));
    }
}
