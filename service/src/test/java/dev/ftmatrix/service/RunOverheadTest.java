package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The matrix's time summed from its results' timings: the projects' own share and ftm's. */
class RunOverheadTest {
    private static VariantResult timed(String v, Map<String, Long> timings) {
        VariantResult plain = new VariantResult(Variant.parse(v), "t", new BuildResult(true, "", List.of(), "", 1),
                List.of("m"), false, "", List.of(), Verdict.READY, "r", "container", List.of());
        return new VariantResult(plain.variant(), plain.toolchain(), plain.build(), plain.modules(),
                plain.gilEnabledAfterImport(), plain.gilReenabledBy(), plain.tests(), plain.verdict(),
                plain.verdictReason(), plain.sandbox(), plain.patched(), plain.importProbe(), plain.importErrors(),
                plain.collected(), plain.threadUnsafe(), plain.testRequirements(), timings);
    }

    @Test
    void sumsEveryCheckAndLeavesTheSandboxOutAsAPartOfTheOthers() {
        Map<String, Long> a = new LinkedHashMap<>();
        a.put("venv", 30_000L);
        a.put("build", 60_000L);
        a.put("tests concurrently", 60_000L);
        a.put("sandbox", 20_000L);
        Map<String, Long> b = new LinkedHashMap<>();
        b.put("install", 30_000L);
        b.put("collection", 30_000L);
        CheckResult r = new CheckResult(CheckResult.SCHEMA, "p", "pypi:p==1", "sha256:1", true, null, List.of(),
                new TreeMap<>(Map.of("cp313", timed("cp313", a), "cp313t", timed("cp313t", b))), "2026-11-30T10:00:00Z",
                "3", Map.of("fetch", 30_000L));
        assertEquals("time: 2 check(s), 4.0 min in all as recorded; the projects' own builds and tests 2.5 min;"
                + " ftm's overhead 38 %", MatrixRun.overhead(List.of(r)));
        assertEquals("", MatrixRun.overhead(List.of()));
    }
}
