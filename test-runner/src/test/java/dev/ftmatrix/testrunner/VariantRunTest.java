package dev.ftmatrix.testrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.builder.Build;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class VariantRunTest {
    @TempDir
    Path tmp;

    static Toolchain toolchain(String id) {
        return new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse(id), "debian");
    }

    static Path fixture(String name) {
        return Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures").resolve(name);
    }

    private static Map<String, TestOutcome> outcomes(List<TestResult> tests) {
        return tests.stream().collect(Collectors.toMap(t -> t.id().substring(t.id().indexOf("::") + 2), TestResult::outcome));
    }

    @Test
    void crashAndHangEndOnlyTheirTestAndTheRestStillRun() throws Exception {
        Path project = tmp.resolve("crashy");
        Files.createDirectories(project.resolve("tests"));
        Files.writeString(project.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools>=61"]
                build-backend = "setuptools.build_meta"
                [project]
                name = "crashy"
                version = "0"
                [tool.setuptools]
                py-modules = []
                """);
        Files.writeString(project.resolve("tests/test_crashy.py"), """
                import ctypes, time

                def test_a_passes():
                    assert 1 + 1 == 2

                def test_b_segfaults():
                    ctypes.string_at(0)

                def test_c_fails():
                    assert [1, 2] == [1, 3]

                def test_d_hangs():
                    time.sleep(3600)

                def test_e_passes():
                    pass
                """);
        VariantRun.Outcome o = new VariantRun(new Build(project, toolchain("cp313"), tmp.resolve("work"))
                .pipCache(Toolchains.defaultCacheRoot().resolve("pip")).toolRequirements(VariantRun.HARNESS_REQUIREMENTS).call()).testDeadline(Duration.ofSeconds(5)).call();
        assertTrue(o.build().ok(), o.build().reason() + o.build().logTail());
        Map<String, TestOutcome> got = outcomes(o.tests());
        assertEquals(Map.of("test_a_passes", TestOutcome.PASS, "test_b_segfaults", TestOutcome.CRASH,
                "test_c_fails", TestOutcome.FAIL, "test_d_hangs", TestOutcome.HANG, "test_e_passes", TestOutcome.PASS), got);
        TestResult crash = o.tests().stream().filter(t -> t.outcome() == TestOutcome.CRASH).findFirst().orElseThrow();
        assertTrue(crash.message().contains("Segmentation fault") && crash.message().contains("test_b_segfaults"),
                crash.message());
        TestResult hang = o.tests().stream().filter(t -> t.outcome() == TestOutcome.HANG).findFirst().orElseThrow();
        assertTrue(hang.message().contains("in test_d_hangs") && hang.message().contains("Timeout ("), hang.message());
        TestResult fail = o.tests().stream().filter(t -> t.outcome() == TestOutcome.FAIL).findFirst().orElseThrow();
        assertTrue(fail.message().contains("assert [1, 2] == [1, 3]"), fail.message());
    }

    @Test
    void racyCounterLosesUpdatesOnlyWithoutTheGil() {
        Path racy = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures/ft-racy");
        Toolchain ft = toolchain("cp313t");
        VariantRun.Outcome free = new VariantRun(new Build(racy, ft, tmp.resolve("ft"))
                .pipCache(Toolchains.defaultCacheRoot().resolve("pip")).toolRequirements(VariantRun.HARNESS_REQUIREMENTS).call()).call();
        VariantRun.Outcome withGil = new VariantRun(new Build(racy, ft, tmp.resolve("gil"))
                .pipCache(Toolchains.defaultCacheRoot().resolve("pip")).toolRequirements(VariantRun.HARNESS_REQUIREMENTS).call()).pythonGil("1").call();
        assertTrue(free.build().ok(), free.build().reason() + free.build().logTail());
        assertEquals(List.of("ftracy"), free.modules());
        assertEquals(Boolean.FALSE, free.gilEnabledAfterImport(), "ftracy declares Py_MOD_GIL_NOT_USED");
        assertEquals(TestOutcome.FAIL, outcomes(free.tests()).get("test_counter_from_many_threads"));
        assertEquals(TestOutcome.PASS, outcomes(withGil.tests()).get("test_counter_from_many_threads"));
        assertFalse(withGil.tests().stream().anyMatch(t -> t.outcome().isBad()), withGil.tests().toString());
        var d = Verdicts.decide(ft.variant(), free, withGil);
        assertEquals(dev.ftmatrix.core.Verdict.FT_FAILURES, d.verdict(), d.reason());
    }

    @Test
    void withoutTheHarnessTheModulesImportInFreshInterpretersAndTheOneThatTurnsTheGilOnIsNamed() {
        Toolchain ft = toolchain("cp313t");
        VariantRun.Outcome o = new VariantRun(new Build(fixture("ft-undeclared"), ft, tmp.resolve("ft"))
                .pipCache(Toolchains.defaultCacheRoot().resolve("pip")).toolRequirements(VariantRun.HARNESS_REQUIREMENTS)
                .call()).harness(false).call();
        assertTrue(o.build().ok(), o.build().reason() + o.build().logTail());
        assertEquals("", o.testError());
        assertEquals(Boolean.TRUE, o.gilEnabledAfterImport(), o.importProbe());
        assertEquals("ftundeclared", o.gilReenabledBy());
        assertTrue(o.importErrors().isEmpty(), o.importErrors().toString());
        assertTrue(o.importProbe().endsWith("in fresh interpreters"), o.importProbe());
        assertFalse(o.tests().isEmpty());
    }
}
