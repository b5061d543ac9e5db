package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.SourceFacts;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's wiring, fast: source → scan and abi → variants → one check result, on a real fixture whose one
 * variant has no toolchain (so nothing is built; the build and test stages have tests of their own).
 */
class PipelineTest {
    @TempDir
    Path tmp;

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    private Pipeline pipeline() {
        Path cache = tmp.resolve("cache");
        ToolchainResolver resolver = new ToolchainResolver(new Toolchains(cache, progress::add), List.of(), false,
                progress::add);
        return new Pipeline(cache, tmp.resolve("work"), resolver, Duration.ofSeconds(30), progress::add);
    }

    private static ProjectSpec spec(String fixture) {
        Path dir = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath().resolve("fixtures").resolve(fixture);
        return new ProjectSpec(fixture, "path:" + dir, "", "", List.of(Variant.parse("cp39")), Map.of(), List.of());
    }

    @Test
    void aSourceIsScannedCheckedAndEachVariantAnsweredInOneResult() {
        CheckResult r = pipeline().check(spec("ft-undeclared"));
        assertEquals("ft-undeclared", r.project());
        assertEquals(Pipeline.STAGES, r.stages());
        assertTrue(!r.fingerprint().isEmpty(), "the source's fingerprint is kept, for resuming");
        // the scanner's reading, with the abi-checker's declarations, in the result's vocabulary
        SourceFacts f = r.facts();
        assertEquals("setuptools", f.buildBackend());
        assertEquals(List.of("ftundeclared"), f.modules().stream().map(SourceFacts.DeclaredModule::name).toList());
        assertEquals("absent", f.modules().getFirst().declaration());
        assertEquals(Boolean.FALSE, r.declaresFreeThreading());
        // a variant with no toolchain is answered, never dropped
        VariantResult v = r.variants().get("cp39");
        assertEquals(Verdict.SKIPPED, v.verdict());
        assertTrue(!v.verdictReason().isEmpty(), v.toString());
        assertTrue(r.timings().containsKey("fetch") && r.timings().containsKey("scan"), r.timings().toString());
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("ft-undeclared [cp39] skipped: ")), progress.toString());
    }

    @Test
    void anUnchangedSourceIsNotCheckedAgain() {
        assertNull(pipeline().check(spec("ft-ready"), fingerprint -> true));
    }

    @Test
    void theBindingLayersPinsReachTheResultFromTheScan() {
        CheckResult r = pipeline().check(spec("pyo3-pinned"));
        assertTrue(r.facts().bindingLayers().stream().anyMatch(l -> l.startsWith("pyo3")), r.facts().bindingLayers().toString());
    }
}
