package dev.ftmatrix.scanner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ftmatrix.scanner.ProjectScan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Build flags over a Cython module's own directive. */
class ExtensionModulesTest {
    private static final ProjectScan.Module ABSENT = new ProjectScan.Module("pkg._m", List.of("pkg/_m.pyx"), "cython",
            "absent", "none", "pkg/_m.pyx:1", null, null);

    private static BuildDeclarations.Declared declared(String... flags) {
        return new BuildDeclarations.Declared("pkg._m", List.of("pkg/_m.pyx"), "meson.build:3", "shipped", null,
                List.of(flags));
    }

    @Test
    void aDirectiveInTheBuildFlagsDeclaresTheModule() {
        ProjectScan.Module m = ExtensionModules.withBuildFlags(ABSENT, declared("-X", "freethreading_compatible=True"));
        assertEquals("not-used", m.declaration());
        assertEquals("meson.build:3", m.evidence());
    }

    @Test
    void theMacroOverridesTheDirective() {
        ProjectScan.Module m = ExtensionModules.withBuildFlags(ABSENT,
                declared("-Xfreethreading_compatible=True", "-DCYTHON_FREETHREADING_COMPATIBLE=0"));
        assertEquals("used", m.declaration());
        assertEquals("CYTHON_FREETHREADING_COMPATIBLE macro in the build flags", m.mechanism());
    }

    @Test
    void otherLayersAndNoFlagsKeepTheirDeclaration() {
        assertEquals(ABSENT, ExtensionModules.withBuildFlags(ABSENT, declared()));
        ProjectScan.Module c = new ProjectScan.Module("pkg._c", List.of("pkg/_c.c"), "c-api", "absent", "none", "x:1",
                null, null);
        assertEquals(c, ExtensionModules.withBuildFlags(c, declared("-DCYTHON_FREETHREADING_COMPATIBLE=1")));
    }
}
