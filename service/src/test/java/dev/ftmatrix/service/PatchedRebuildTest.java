package dev.ftmatrix.service;

import dev.ftmatrix.builder.PinnedLayer;
import dev.ftmatrix.builder.patches.KnownLayers;
import dev.ftmatrix.builder.patches.Pybind11Copies;
import dev.ftmatrix.core.PatchedBuild;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three pinned fixtures on cp313t, as pinned and with the binding layer upgraded. */
@Tag("slow")
class PatchedRebuildTest {
    @TempDir
    Path tmp;

    static Toolchain cp313t() {
        return new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313t"), "debian");
    }

    static Path fixture(String name) {
        return Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures").resolve(name);
    }

    static Path pipCache() {
        return Toolchains.defaultCacheRoot().resolve("pip");
    }

    /** The container sandbox when Docker is up, else the local one: the patch logic is the same in both. */
    static Sandbox sandbox() {
        return Sandbox.best(SandboxLimits.DEFAULT, Progress.NONE);
    }

    /** The binding layers with their pins, as the scanner reads them (one reading: the builder reads none itself). */
    static List<dev.ftmatrix.scanner.ProjectScan.Binding> bindings(Path project) {
        return new dev.ftmatrix.scanner.ProjectScanner(dev.ftmatrix.abi.SourceScan.scan(project).declaredModules())
                .scan(new dev.ftmatrix.scanner.FetchedSource(project, "path", project.toString())).bindingLayers();
    }

    private PatchedRebuild.Result rebuild(Path project, Sandbox box) {
        PatchedRebuild.Result r = new PatchedRebuild(project, cp313t(), tmp.resolve("work")).sandbox(box)
                .pipCache(pipCache()).bindings(bindings(project)).progress(System.err::println).call();
        r.patched().forEach(p -> System.err.println("PATCHED " + p.summary()));
        return r;
    }

    @Test
    void cythonBelow31IsUpgradedThroughTheBuildRequirements() {
        PatchedRebuild.Result r = rebuild(fixture("cython-pinned"), sandbox());
        PinnedLayer pin = r.pins().stream().filter(p -> p.layer().name().equals("cython")).findFirst().orElseThrow();
        assertEquals(">=3.0,<3.1", pin.pinned());
        assertTrue(pin.tooOld());
        assertEquals(1, r.patched().size());
        PatchedBuild p = r.patched().getFirst();
        assertTrue(p.how().contains("Cython>=3.1"), p.how());
        assertEquals(Verdict.READY, p.patched(), p.summary());
        assertNotEquals(Verdict.READY, p.pinned(), p.summary());
    }

    @Test
    void aVendoredPybind11IsReplacedByANewerCopy() throws Exception {
        Path project = materialise("pybind11-vendored");
        PatchedRebuild.Result r = rebuild(project, sandbox());
        PinnedLayer pin = r.pins().stream().filter(p -> p.layer().name().equals("pybind11")).findFirst().orElseThrow();
        assertEquals("2.12.0", pin.pinned());
        assertEquals("extern/pybind11 (vendored)", pin.where());
        PatchedBuild p = r.patched().getFirst();
        assertTrue(p.how().startsWith("replaced the vendored extern/pybind11 (2.12.0) with pybind11 "), p.how());
        assertEquals(Verdict.READY, p.patched(), p.summary());
        assertNotEquals(Verdict.READY, p.pinned(), p.summary());
    }

    @Test
    void pyo3Before023RefusesFreeThreadingUnlessUpgradedOrForced() {
        Path project = fixture("pyo3-pinned");
        PatchedRebuild.Result up = rebuild(project, sandbox());
        PinnedLayer pin = up.pins().getFirst();
        assertEquals(List.of("pyo3", "0.22", "Cargo.toml"), List.of(pin.layer().name(), pin.pinned(), pin.where()));
        assertEquals(Verdict.BUILD_FAILED, up.pinnedDecision().verdict());
        assertTrue(up.pinnedDecision().reason().startsWith("binding-layer-too-old: "), up.pinnedDecision().reason());
        PatchedBuild p = up.patched().getFirst();
        assertTrue(p.how().startsWith("Cargo.toml: pyo3 \"0.22\" -> \"0.23\""), p.how());
        assertNotEquals(Verdict.BUILD_FAILED, p.patched(), p.summary());

        PatchedRebuild.Result forced = new PatchedRebuild(project, cp313t(), tmp.resolve("forced")).sandbox(sandbox())
                .pipCache(pipCache()).bindings(bindings(project)).escapeHatch(true).progress(System.err::println).call();
        PatchedBuild f = forced.patched().getFirst();
        System.err.println("PATCHED " + f.summary());
        assertEquals(Map.of("UNSAFE_PYO3_BUILD_FREE_THREADED", "1"), KnownLayers.named("pyo3").orElseThrow().escapeHatchEnv());
        assertTrue(f.how().contains("UNSAFE_PYO3_BUILD_FREE_THREADED"), f.how());
        assertNotEquals(Verdict.BUILD_FAILED, f.patched(), f.summary());
    }

    /** Copies a fixture and fetches what its ftm-fixture.json says it vendors (old pybind11 headers, from PyPI). */
    private Path materialise(String name) throws Exception {
        Path to = tmp.resolve("fixture-" + name);
        Path from = fixture(name);
        try (var s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path q = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(f, q);
                }
            }
        }
        var spec = new com.fasterxml.jackson.databind.ObjectMapper().readTree(to.resolve("ftm-fixture.json").toFile())
                .get("vendor").get("pybind11");
        var run = Pybind11Copies.install(spec.get("version").asText(), to.resolve(spec.get("dir").asText()),
                cp313t().python(), pipCache(), tmp.resolve("fetch.log"));
        assertTrue(run.ok(), run.tail(10));
        return to;
    }
}
