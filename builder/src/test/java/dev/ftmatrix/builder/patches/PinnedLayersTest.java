package dev.ftmatrix.builder.patches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.builder.Patch;
import dev.ftmatrix.builder.Patches;
import dev.ftmatrix.builder.PinnedLayer;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.scanner.ProjectScanner;
import dev.ftmatrix.scanner.SourceFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pins come from the scanner's one reading of the tree; the patcher rewrites them where the scanner found them. */
class PinnedLayersTest {
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

    private static List<PinnedLayer> pins(Path dir) {
        ProjectScan scan = new ProjectScanner(List.of()).scan(new FetchedSource(dir, "path", dir.toString()));
        return Patches.pins(scan.bindingLayers());
    }

    private static PinnedLayer layer(List<PinnedLayer> pins, String name) {
        return pins.stream().filter(p -> p.layer().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void pyo3PinnedInATableOfItsOwnIsFoundWithItsPlaceAndTooOld() throws Exception {
        Files.writeString(tmp.resolve("Cargo.toml"), TABLE);
        PinnedLayer pin = layer(pins(tmp), "pyo3");
        assertEquals(List.of("0.22.6", "Cargo.toml"), List.of(pin.pinned(), pin.where()));
        assertEquals(List.of(new ProjectScan.Pin("Cargo.toml", 14, "pyo3", "0.22.6")), pin.at());
        assertTrue(pin.tooOld());
    }

    @Test
    void thePatcherRewritesTheTablesVersionAndKeepsTheRest() throws Exception {
        Files.writeString(tmp.resolve("Cargo.toml"), TABLE);
        Files.writeString(tmp.resolve("Cargo.lock"), "# old lock\n");
        PinnedLayer pin = layer(pins(tmp), "pyo3");
        Patch a = Patches.apply(pin, tmp, false, Path.of("python3"), tmp.resolve("pip"), tmp.resolve("log"));
        assertEquals("Cargo.toml: pyo3 \"0.22.6\" -> \"0.23\" (Cargo.lock re-resolved)", a.how());
        assertEquals(TABLE.replace("version = \"0.22.6\"", "version = \"0.23\""), Files.readString(tmp.resolve("Cargo.toml")));
        assertFalse(Files.exists(tmp.resolve("Cargo.lock")));
        PinnedLayer after = layer(pins(tmp), "pyo3");
        assertEquals("0.23", after.pinned());
        assertFalse(after.tooOld());
    }

    @Test
    void theOldestOfPyo3AndPyo3FfiDecidesAndBothAreRewritten() throws Exception {
        Files.writeString(tmp.resolve("Cargo.toml"), "[dependencies]\npyo3 = \"0.23.3\"\npyo3-ffi = \"0.22\"\n");
        PinnedLayer pin = layer(pins(tmp), "pyo3");
        assertEquals("0.22", pin.pinned());
        assertTrue(pin.tooOld());
        Patches.apply(pin, tmp, false, Path.of("python3"), tmp.resolve("pip"), tmp.resolve("log"));
        assertEquals("[dependencies]\npyo3 = \"0.23\"\npyo3-ffi = \"0.23\"\n", Files.readString(tmp.resolve("Cargo.toml")));
    }

    @Test
    void aTooOldBuildRequirementIsRewrittenInItsOwnQuotes() throws Exception {
        Files.writeString(tmp.resolve("pyproject.toml"), """
                [build-system]
                requires = ['setuptools', 'Cython>=3.0,<3.1']
                build-backend = "setuptools.build_meta"
                """);
        PinnedLayer pin = layer(pins(tmp), "cython");
        assertEquals(List.of(">=3.0,<3.1", "pyproject.toml [build-system] requires"), List.of(pin.pinned(), pin.where()));
        assertEquals(2, pin.at().getFirst().line());
        assertTrue(pin.tooOld());
        Patch a = Patches.apply(pin, tmp, false, Path.of("python3"), tmp.resolve("pip"), tmp.resolve("log"));
        assertEquals("pyproject.toml [build-system] requires: 'Cython>=3.0,<3.1' -> 'Cython>=3.1'", a.how());
        assertTrue(Files.readString(tmp.resolve("pyproject.toml")).contains("requires = ['setuptools', 'Cython>=3.1']"));
    }

    /** rpds-py 0.21.0 as released: the scanner reads PyO3 0.22.6 from its table, and the patcher starts from it. */
    @Test
    void rpdsPy0210PinsPyo3InItsCargoTomlTable() {
        FetchedSource src = new SourceFetcher(tmp.resolve("cache"), l -> { })
                .fetch("pypi:rpds-py==0.21.0", "", "", tmp.resolve("work"));
        ProjectScan scan = new ProjectScanner(List.of()).scan(src);
        PinnedLayer pin = layer(Patches.pins(scan.bindingLayers()), "pyo3");
        assertEquals("0.22.6", pin.pinned());
        assertEquals(List.of(new ProjectScan.Pin("Cargo.toml", 15, "pyo3", "0.22.6")), pin.at());
        assertTrue(pin.tooOld(), "PyO3 0.22 builds no free-threaded module: a patched rebuild with 0.23 must run");
    }
}
