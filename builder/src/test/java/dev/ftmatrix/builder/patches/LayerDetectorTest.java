package dev.ftmatrix.builder.patches;

import dev.ftmatrix.builder.PinnedLayer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerDetectorTest {
    /** The shape of rpds-py 0.21.0's Cargo.toml: PyO3 in a table of its own, a comment between its keys. */
    private static final String TABLE = """
            [package]
            name = "tabled"
            version = "0.1.0"
            edition = "2021"

            [lib]
            name = "tabled"
            crate-type = ["cdylib"]

            [dependencies]
            archery = "1.2.1"

            [dependencies.pyo3]
            version = "0.22.6"
            # a comment between the keys, as rpds-py has
            features = ["extension-module", "generate-import-lib"]
            """;

    @TempDir
    Path tmp;

    private static BindingLayer pyo3() {
        return BindingLayers.named("pyo3").orElseThrow();
    }

    @Test
    void pyo3PinnedInATableOfItsOwnIsFoundAndTooOld() throws Exception {
        Files.writeString(tmp.resolve("Cargo.toml"), TABLE);
        PinnedLayer pin = LayerDetector.detect(tmp).stream().filter(p -> p.layer().name().equals("pyo3")).findFirst().orElseThrow();
        assertEquals(List.of("0.22.6", "Cargo.toml"), List.of(pin.pinned(), pin.where()));
        assertTrue(pin.tooOld());
    }

    @Test
    void thePatcherRewritesTheTablesVersionAndKeepsTheRest() throws Exception {
        Files.writeString(tmp.resolve("Cargo.toml"), TABLE);
        Files.writeString(tmp.resolve("Cargo.lock"), "# old lock\n");
        PinnedLayer pin = LayerDetector.detect(tmp).getFirst();
        dev.ftmatrix.builder.Patch a = new Patcher(Path.of("python3"), tmp.resolve("pip"), tmp.resolve("log")).apply(pin, tmp);
        assertEquals("Cargo.toml: pyo3 \"0.22.6\" -> \"0.23\" (Cargo.lock re-resolved)", a.how());
        assertEquals(TABLE.replace("version = \"0.22.6\"", "version = \"0.23\""), Files.readString(tmp.resolve("Cargo.toml")));
        assertFalse(Files.exists(tmp.resolve("Cargo.lock")));
        PinnedLayer after = LayerDetector.detect(tmp).getFirst();
        assertEquals("0.23", after.pinned());
        assertFalse(after.tooOld());
    }

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
        List<CargoPins.Pin> pins = CargoPins.find(toml, pyo3().crates());
        assertEquals(List.of("pyo3 0.21", "pyo3 =0.22.2", "pyo3-ffi 0.22.1", "pyo3-ffi ^0.20", "pyo3 0.18"),
                pins.stream().map(p -> p.crate() + " " + p.version()).toList());
        String rewritten = CargoPins.rewrite(toml, pyo3().crates(), "0.23");
        assertEquals(List.of("0.23", "0.23", "0.23", "0.23", "0.23"),
                CargoPins.find(rewritten, pyo3().crates()).stream().map(CargoPins.Pin::version).toList());
        assertTrue(rewritten.contains("pyo3-build-config = \"0.19\"") && rewritten.contains("version = \"9.9\""), rewritten);
    }

    @Test
    void theOldestOfPyo3AndPyo3FfiDecides() throws Exception {
        Files.writeString(tmp.resolve("Cargo.toml"), "[dependencies]\npyo3 = \"0.23.3\"\npyo3-ffi = \"0.22\"\n");
        PinnedLayer pin = LayerDetector.detect(tmp).getFirst();
        assertEquals("0.22", pin.pinned());
        assertTrue(pin.tooOld());
    }
}
