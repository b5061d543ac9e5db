package dev.ftmatrix.testrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ftmatrix.builder.Build;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole variant runs (build, then import and tests in the harness) in the container sandbox and in the local one. */
@Tag("slow")
class SandboxedVariantRunTest {
    @TempDir
    Path tmp;

    /** The container sandbox: required when scripts/test brought Docker up (FTM_REQUIRE_DOCKER=1). */
    static Sandbox containers() {
        String why = Sandbox.whyNoContainer();
        if ("1".equals(System.getenv("FTM_REQUIRE_DOCKER"))) {
            assertEquals("", why, "FTM_REQUIRE_DOCKER=1 but the container sandbox cannot run");
        }
        assumeTrue(why.isEmpty(), "no container sandbox (set FTM_REQUIRE_DOCKER=1 to fail instead): " + why);
        return Sandbox.container(SandboxLimits.DEFAULT);
    }

    private VariantRun run(Path project, String variant, String dir, Sandbox box) {
        return new VariantRun(new Build(project, VariantRunTest.toolchain(variant), tmp.resolve(dir)).sandbox(box)
                .pipCache(Toolchains.defaultCacheRoot().resolve("pip"))
                .toolRequirements(VariantRun.HARNESS_REQUIREMENTS).call());
    }

    @Test
    void extensionBuildsImportsAndPassesInContainersForBothVariants() {
        Sandbox box = containers();
        for (String v : List.of("cp313", "cp313t")) {
            VariantRun.Outcome o = run(VariantRunTest.fixture("ft-ready"), v, v, box).call();
            assertEquals("container", o.sandbox());
            assertTrue(o.build().ok(), v + ": " + o.build().reason() + "\n" + o.build().logTail());
            assertEquals(List.of("ftready"), o.modules());
            assertTrue(o.build().wheels().getFirst().contains(v.equals("cp313t") ? "cp313t" : "cp313-cp313-"), o.build().wheels().toString());
            assertEquals(!v.equals("cp313t"), o.gilEnabledAfterImport(), v + ": ftready declares Py_MOD_GIL_NOT_USED");
            assertFalse(o.tests().isEmpty(), o.testError());
            assertTrue(o.tests().stream().allMatch(t -> t.outcome() == TestOutcome.PASS), o.tests().toString());
        }
    }

    @Test
    void containerAndLocalBuildsOfTheSameProjectGiveTheSameWheelAndOutcomes() {
        Path project = VariantRunTest.fixture("ft-undeclared");
        VariantRun.Outcome boxed = run(project, "cp313t", "c", containers()).call();
        VariantRun.Outcome local = run(project, "cp313t", "l", Sandbox.local()).call();
        System.err.printf("TIMING ft-undeclared cp313t resolve+build+install: container %d ms, local %d ms%n",
                boxed.build().millis(), local.build().millis());
        assertEquals(local.build().wheels(), boxed.build().wheels());
        assertEquals(local.gilEnabledAfterImport(), boxed.gilEnabledAfterImport());
        assertEquals(local.gilReenabledBy(), boxed.gilReenabledBy());
        assertEquals(local.tests().stream().map(t -> t.id() + "=" + t.outcome()).toList(),
                boxed.tests().stream().map(t -> t.id() + "=" + t.outcome()).toList());
    }

    @Test
    void theSameBuildsSuiteRunsAgainWithTheGilOnInAContainer() {
        // againIn writes in a directory of its own and uses the venv of the run it repeats: the container must see it
        VariantRun ft = run(VariantRunTest.fixture("ft-ready"), "cp313t", "ft", containers());
        VariantRun.Outcome first = ft.call();
        assertTrue(first.tests().stream().allMatch(t -> t.outcome() == TestOutcome.PASS), first.tests().toString());
        VariantRun.Outcome again = ft.againIn(tmp.resolve("ft-gil")).pythonGil("1").call();
        assertEquals("container", again.sandbox());
        assertEquals("", again.testError(), again.testError());
        assertEquals(first.tests().stream().map(t -> t.id() + "=" + t.outcome()).toList(),
                again.tests().stream().map(t -> t.id() + "=" + t.outcome()).toList());
        assertEquals(Boolean.TRUE, again.gilEnabledAfterImport(), "PYTHON_GIL=1 keeps the GIL on");
    }
}
