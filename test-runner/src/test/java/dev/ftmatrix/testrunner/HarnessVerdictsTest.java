package dev.ftmatrix.testrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.builder.Build;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fixtures built, installed and tested through the FFM harness for cp313 and cp313t, and the verdicts that
 * {@link Verdicts} gives them, with the cp313 run as each cp313t run's baseline.
 */
@Tag("slow")
class HarnessVerdictsTest {
    static Toolchain gil;
    static Toolchain ft;
    static Path fixtures;
    static Path work;

    @BeforeAll
    static void toolchains() throws java.io.IOException {
        // under target/, not a @TempDir: venvs link to their toolchain, which JUnit's clean-up warns about
        work = Files.createDirectories(Path.of("target", "harness-verdicts").toAbsolutePath());
        Toolchains t = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE);
        gil = t.install(Variant.parse("cp313"), "debian");
        ft = t.install(Variant.parse("cp313t"), "debian");
        fixtures = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(fixtures.resolve("ft-ready")), "no fixtures at " + fixtures);
    }

    private record Both(VariantRun.Outcome baseline, VariantRun.Outcome run, Verdicts.Decision gilVerdict,
                        Verdicts.Decision ftVerdict) {
        TestResult test(String name) {
            return run.tests().stream().filter(t -> t.id().endsWith("::" + name)).findFirst().orElseThrow(
                    () -> new AssertionError("no test " + name + " in " + run.tests()));
        }
    }

    private static Both check(String fixture, Duration deadline) {
        VariantRun.Outcome base = run(fixture, gil, deadline);
        VariantRun.Outcome o = run(fixture, ft, deadline);
        return new Both(base, o, Verdicts.decide(gil.variant(), base, null), Verdicts.decide(ft.variant(), o, base));
    }

    private static VariantRun.Outcome run(String fixture, Toolchain tc, Duration deadline) {
        return new VariantRun(new Build(fixtures.resolve(fixture), tc, work.resolve(fixture + "-" + tc.variant()))
                .pipCache(Toolchains.defaultCacheRoot().resolve("pip")).toolRequirements(VariantRun.HARNESS_REQUIREMENTS).call()).testDeadline(deadline).threads(2).call();
    }

    @Test
    void aThreadSafeModuleThatDeclaresSupportIsReady() {
        Both b = check("ft-ready", Duration.ofSeconds(60));
        assertEquals(Verdict.READY, b.gilVerdict().verdict(), b.gilVerdict().reason());
        assertEquals(Verdict.READY, b.ftVerdict().verdict(), b.ftVerdict().reason());
        assertEquals(Boolean.FALSE, b.run().gilEnabledAfterImport());
        assertEquals(2, b.run().tests().size());
    }

    @Test
    void theSameModuleWithoutTheDeclarationWorksUndeclaredAndIsNamed() {
        Both b = check("ft-undeclared", Duration.ofSeconds(60));
        assertEquals(Verdict.WORKS_UNDECLARED, b.ftVerdict().verdict(), b.ftVerdict().reason());
        assertEquals("ftundeclared", b.run().gilReenabledBy());
        assertTrue(b.ftVerdict().reason().contains("ftundeclared"), b.ftVerdict().reason());
    }

    @Test
    void aRaceThatOnlyLosesUpdatesWithoutTheGilIsFtFailures() {
        Both b = check("ft-racy", Duration.ofSeconds(60));
        assertEquals(Verdict.READY, b.gilVerdict().verdict(), b.gilVerdict().reason());
        assertEquals(Verdict.FT_FAILURES, b.ftVerdict().verdict(), b.ftVerdict().reason());
        TestResult counter = b.test("test_counter_from_many_threads");
        assertEquals(TestOutcome.FAIL, counter.outcome());
        assertTrue(counter.message().contains("assert "), counter.message());
        assertEquals(TestOutcome.PASS, b.test("test_checksum_from_many_threads").outcome());
    }

    @Test
    void aModuleThatSegfaultsOnlyWithoutTheGilIsCrashWithEveryThreadsTraceback() {
        Both b = check("ft-crash", Duration.ofSeconds(60));
        assertEquals(Verdict.READY, b.gilVerdict().verdict(), b.gilVerdict().reason());
        assertEquals(Verdict.CRASH, b.ftVerdict().verdict(), b.ftVerdict().reason());
        TestResult crashed = b.test("test_describe_while_another_thread_clears");
        assertEquals(TestOutcome.CRASH, crashed.outcome());
        assertTrue(crashed.message().contains("Segmentation fault"), crashed.message());
        assertTrue(crashed.message().contains("in reader"), "the crashing thread's Python stack: " + crashed.message());
        assertEquals(TestOutcome.PASS, b.test("test_runs_after_the_crash").outcome(), "a new child ran the rest");
    }

    @Test
    void aDeadlockIsHangWithinItsDeadlineAndTheTestsAfterItStillRun() {
        Both b = check("ft-hang", Duration.ofSeconds(8));
        assertEquals(Verdict.READY, b.gilVerdict().verdict(), b.gilVerdict().reason());
        assertEquals(Verdict.HANG, b.ftVerdict().verdict(), b.ftVerdict().reason());
        TestResult hung = b.test("test_both_directions_at_once");
        assertEquals(TestOutcome.HANG, hung.outcome());
        assertTrue(hung.message().contains("Timeout (0:00:08)"), hung.message());
        assertTrue(hung.message().contains("locked_pair") || hung.message().contains("in run"), hung.message());
        assertEquals(TestOutcome.PASS, b.test("test_runs_after_the_hang").outcome(), "a new child ran the rest");
    }
}
