package dev.ftmatrix.wheels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.wheels.Dependencies;
import dev.ftmatrix.builder.ModuleImport;
import dev.ftmatrix.wheels.WheelVerdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    private static final Variant FT = Variant.parse("cp313t");
    private static final Dependencies ALL = new Dependencies(List.of("numpy==2.1.0"), "");

    private static ModuleImport ok(String m, boolean gil, String... needs) {
        return new ModuleImport(m, true, "", gil, List.of(needs), "");
    }

    @Test
    void everyOwnModuleThatNeedsTheGilIsNamedThoughOnlyOneWarned() {
        Verdicts.Judged j = Verdicts.judge(FT, List.of("p.a", "p.b", "p.c"), List.of(ok("p.a", true, "p.a", "p.b"),
                ok("p.b", true, "p.a", "p.b"), ok("p.c", true, "p.a", "p.b")), List.of(), ALL);
        assertEquals(WheelVerdict.WHEEL_REENABLES_GIL, j.verdict());
        assertEquals(List.of("p.a", "p.b"), j.reenabledBy());
    }

    @Test
    void aDependencyThatNeedsTheGilIsNamedButTheWheelIsReady() {
        Verdicts.Judged j = Verdicts.judge(FT, List.of("p.a"), List.of(ok("p.a", true, "dep._core")), List.of(), ALL);
        assertEquals(WheelVerdict.WHEEL_READY, j.verdict());
        assertEquals(List.of("dep._core"), j.byDependencies());
        assertTrue(j.reason().contains("dep._core"), j.reason());
    }

    @Test
    void anImportFailureIsNotClaimedWhenTheDependenciesCouldNotBeInstalled() {
        ModuleImport failed = new ModuleImport("p.a", false, "ModuleNotFoundError: No module named 'dep'", null,
                List.of(), "");
        assertEquals(WheelVerdict.WHEEL_IMPORT_FAILS, Verdicts.judge(FT, List.of("p.a"), List.of(failed), List.of(),
                ALL).verdict());
        assertEquals(WheelVerdict.ERROR, Verdicts.judge(FT, List.of("p.a"), List.of(failed), List.of(),
                new Dependencies(List.of(), "dep has no wheel for cp313t")).verdict());
    }

    @Test
    void aModuleBuiltAgainstTheOtherHeadersMakesTheWheelMistagged() {
        Finding other = new Finding("built-for-other-build", Finding.Severity.ERROR, "p.whl!/p/a.so", 0, 0, "",
                "a.so was compiled against the cp313 headers", "rebuild");
        assertEquals(WheelVerdict.WHEEL_MISTAGGED, Verdicts.judge(FT, List.of("p.a"), List.of(ok("p.a", false)),
                List.of(other), ALL).verdict());
    }

    @Test
    void theGilBuildIsReadyWhenEverythingImports() {
        assertEquals(WheelVerdict.WHEEL_READY, Verdicts.judge(Variant.parse("cp313"), List.of("p.a"),
                List.of(ok("p.a", true)), List.of(), ALL).verdict());
    }

    @Test
    void aModuleThatDoesNotImportFromTheGilBuildsWheelEitherIsNotCounted() {
        ModuleImport tk = new ModuleImport("p._tk", false, "ImportError: libtk8.6.so: cannot open shared object file",
                null, List.of(), "");
        Verdicts.Judged j = Verdicts.judge(FT, List.of("p.a", "p._tk"), List.of(ok("p.a", false), tk), List.of(), ALL,
                java.util.Set.of("p._tk"));
        assertEquals(WheelVerdict.WHEEL_READY, j.verdict());
        assertTrue(j.reason().contains("1 of 2") && j.reason().contains("p._tk"), j.reason());
    }

    @Test
    void aReleaseWhoseModulesImportFromNeitherWheelFailsUnlessALibraryIsMissingHere() {
        ModuleImport broken = new ModuleImport("p.a", false, "ModuleNotFoundError: No module named 'cpython'", null,
                List.of(), "");
        assertEquals(WheelVerdict.WHEEL_IMPORT_FAILS, Verdicts.judge(FT, List.of("p.a"), List.of(broken), List.of(), ALL,
                java.util.Set.of("p.a")).verdict());
        ModuleImport noLib = new ModuleImport("p.a", false, "ImportError: libfoo.so.1: cannot open shared object file",
                null, List.of(), "");
        assertEquals(WheelVerdict.ERROR, Verdicts.judge(FT, List.of("p.a"), List.of(noLib), List.of(), ALL,
                java.util.Set.of("p.a")).verdict());
    }

    @Test
    void anImportStoppedByADeadlineOrAKillIsFtmsNotTheWheels() {
        ModuleImport slow = new ModuleImport("p.a", false, "import did not finish in 120 s", null, List.of(), "");
        assertEquals(WheelVerdict.ERROR, Verdicts.judge(FT, List.of("p.a"), List.of(slow), List.of(), ALL).verdict());
        ModuleImport killed = new ModuleImport("p.a", false,
                "the interpreter ended with signal 9 before the import finished", null, List.of(), "");
        assertEquals(WheelVerdict.ERROR, Verdicts.judge(FT, List.of("p.a"), List.of(killed), List.of(), ALL).verdict());
        ModuleImport crashed = new ModuleImport("p.a", false,
                "the interpreter ended with signal 11 before the import finished", null, List.of(), "");
        assertEquals(WheelVerdict.WHEEL_IMPORT_FAILS, Verdicts.judge(FT, List.of("p.a"), List.of(crashed), List.of(),
                ALL).verdict());
    }

    @Test
    void aStrayCopyForAnotherInterpreterBesideTheVariantsOwnIsNotAMistag() {
        Finding stray = new Finding("module-suffix", Finding.Severity.ERROR,
                "pymongo.whl!/bson/_cbson.cpython-310-x86_64-linux-gnu.so", 0, 0, "", "named for cpython-310", "rebuild");
        assertEquals(WheelVerdict.WHEEL_READY, Verdicts.judge(FT, List.of("bson._cbson"),
                List.of(ok("bson._cbson", false)), List.of(stray), ALL).verdict());
        assertEquals(WheelVerdict.WHEEL_MISTAGGED, Verdicts.judge(FT, List.of("bson._cbson"),
                List.of(new ModuleImport("bson._cbson", false, "ModuleNotFoundError", null, List.of(), "")),
                List.of(stray), ALL).verdict());
    }
}
