package dev.ftmatrix.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildFailuresTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        return Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures").resolve(name);
    }

    @Test
    @Tag("slow")
    void limitedApiProjectBuildsWithTheGilButIsClassifiedOnFreeThreaded() throws Exception {
        Path project = fixture("limited-api");
        var tcs = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE);
        Built gil = new Build(project, tcs.install(Variant.parse("cp313"), "debian"), tmp.resolve("gil"))
                .sandbox(Sandbox.best(SandboxLimits.DEFAULT, Progress.NONE)).pipCache(Toolchains.defaultCacheRoot().resolve("pip")).call();
        assertTrue(gil.build().ok(), gil.build().reason() + gil.build().logTail());
        assertTrue(gil.build().wheels().getFirst().contains("abi3"), gil.build().wheels().toString());

        Built ft = new Build(project, tcs.install(Variant.parse("cp313t"), "debian"), tmp.resolve("ft"))
                .sandbox(Sandbox.best(SandboxLimits.DEFAULT, Progress.NONE)).pipCache(Toolchains.defaultCacheRoot().resolve("pip")).call();
        assertFalse(ft.build().ok());
        assertTrue(ft.build().reason().endsWith("cause: limited-api-on-ft"), ft.build().reason());
        BuildFailure f = BuildFailures.classify(Files.readString(tmp.resolve("ft/build.log")));
        assertEquals("limited-api-on-ft", f.category(), f.toString());
        // setuptools refuses the abi3 tag before compiling (older ones let Python.h's #error stop it): either is the cause
        assertTrue(f.lines().stream().anyMatch(l -> l.contains("Py_LIMITED_API` is incompatible with `Py_GIL_DISABLED")
                || l.contains("The limited API is not currently supported in the free-threaded build")), f.lines().toString());
    }

    /** pip 23.2's offline build of frozenlist 1.6.0 from a wheelhouse without what its backend asks for dynamically. */
    @Test
    void aRequirementMissingFromTheWheelhouseIsFtmsFaultNotACompilerError() {
        BuildFailure f = BuildFailures.classify("""
                  Getting requirements to build wheel: finished with status 'done'
                  Installing backend dependencies: started
                  Running command pip subprocess to install backend dependencies
                  Looking in links: /work/wheelhouse
                  ERROR: Could not find a version that satisfies the requirement Cython>=3.0.12 (from versions: none)
                  ERROR: No matching distribution found for Cython>=3.0.12
                  error: subprocess-exited-with-error

                  × pip subprocess to install backend dependencies did not run successfully.
                  │ exit code: 1
                  ╰─> See above for output.
                  Installing backend dependencies: finished with status 'error'
                error: subprocess-exited-with-error
                """);
        assertEquals("missing-requirement", f.category());
        assertTrue(f.ftmFault());
        assertEquals(List.of("ERROR: Could not find a version that satisfies the requirement Cython>=3.0.12 (from versions: none)",
                "ERROR: No matching distribution found for Cython>=3.0.12"), f.lines());
        BuildFailure compiler = BuildFailures.classify("src/m.c:12:5: error: expected ';' before '}' token");
        assertFalse(compiler.ftmFault());
    }

    @Test
    void namesEachCauseFromItsLogLines() {
        assertEquals("timeout", BuildFailures.classify("building...\nftm sandbox: stopped at its deadline of 20 s\n").category());
        assertEquals("out-of-memory", BuildFailures.classify("cc1plus\nftm sandbox: killed: out of memory (limit 512 MiB)").category());
        assertEquals("binding-layer-too-old", BuildFailures.classify("""
                  error: the Python interpreter was built with the GIL disabled, which is not yet supported by PyO3
                  = help: please check if an updated version of PyO3 is available. Current version: 0.22.6
                  = help: set UNSAFE_PYO3_BUILD_FREE_THREADED=1 to suppress this check and build anyway
                error: could not compile `pyo3-ffi` (build script) due to 1 previous error""").category());
        BuildFailure lib = BuildFailures.classify("""
                gcc -I/usr/include -c src/x.c -o build/x.o
                src/x.c:3:10: fatal error: yaml.h: No such file or directory
                compilation terminated.
                error: command '/usr/bin/gcc' failed with exit code 1""");
        assertEquals("missing-system-library", lib.category());
        assertEquals("src/x.c:3:10: fatal error: yaml.h: No such file or directory", lib.lines().getFirst());
        assertEquals("removed-c-api", BuildFailures.classify(
                "src/m.c:12:5: error: 'PyObject' {aka 'struct _object'} has no member named 'ob_refcnt'").category());
        assertEquals("compiler-error", BuildFailures.classify(
                "src/m.c:12:5: error: expected ';' before '}' token\nerror: command '/usr/bin/gcc' failed with exit code 1").category());
        BuildFailure unknown = BuildFailures.classify("something odd\nexit 1");
        assertFalse(unknown.ftmFault());
        assertEquals("unknown", unknown.category());
        assertEquals(2, unknown.lines().size());
    }

    @Test
    void rustCompileErrorsInPipsIndentedOutputAreCompilerErrorsButPipsOwnErrorLineIsNot() {
        BuildFailure rust = BuildFailures.classify("""
                    Compiling rpds-py v0.21.0 (/tmp/ftm-src)
                  error[E0277]: the trait bound `Key: PyErrArguments` is not satisfied
                  error: subprocess-exited-with-error
                """);
        assertEquals("compiler-error", rust.category());
        assertEquals(List.of("error[E0277]: the trait bound `Key: PyErrArguments` is not satisfied"), rust.lines());
        assertEquals("unknown", BuildFailures.classify("  error: subprocess-exited-with-error\n").category());
    }
}
