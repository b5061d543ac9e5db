package dev.ftmatrix.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.builder.Venv;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.support.Processes;
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

class TestRequirementsResolverTest {
    @TempDir
    Path tmp;

    /**
     * Real pip against the index and two local sdists: {@code needsbroken} depends on {@code brokenlib}, whose C
     * extension does not compile. The one pip run fails; the requirement that pulled the broken build in is named
     * with the compiler's error, the one that does not exist with pip's, and the rest is fetched in one more run.
     */
    @Test
    @Tag("slow")
    void aFailedBatchNamesTheRequirementsPipBlamesAndFetchesTheRest() throws Exception {
        Toolchain tc = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313t"), "debian");
        Venv venv = Venv.create(tc, tmp.resolve("venv"), tmp.resolve("pip-cache"), tmp.resolve("venv.log"));
        Path wheelhouse = Files.createDirectories(tmp.resolve("wheelhouse"));
        String sdists = """
                import io, sys, tarfile
                def sdist(name, files):
                    with tarfile.open(f"{sys.argv[1]}/{name}-1.0.tar.gz", "w:gz") as t:
                        for path, text in {**files, "PKG-INFO": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: 1.0\\n"}.items():
                            data = text.encode()
                            info = tarfile.TarInfo(f"{name}-1.0/{path}")
                            info.size = len(data)
                            t.addfile(info, io.BytesIO(data))
                toml = '[build-system]\\nrequires = ["setuptools"]\\nbuild-backend = "setuptools.build_meta"\\n'
                sdist("brokenlib", {"pyproject.toml": toml, "broken.c": "int f(void) { return undeclared_here; }\\n",
                    "setup.py": "from setuptools import setup, Extension\\n"
                                "setup(name='brokenlib', version='1.0', ext_modules=[Extension('broken', ['broken.c'])])\\n"})
                sdist("needsbroken", {"pyproject.toml": toml, "needsbroken.py": "",
                    "setup.py": "from setuptools import setup\\n"
                                "setup(name='needsbroken', version='1.0', py_modules=['needsbroken'], install_requires=['brokenlib'])\\n"})
                """;
        Processes.Run made = Processes.run(List.of(tc.python().toString(), "-c", sdists, wheelhouse.toString()), tmp,
                Map.of(), tmp.resolve("make.log"), l -> { }, Duration.ofMinutes(1));
        assertTrue(made.ok(), made.output());
        Map<String, String> env = Map.of("PIP_CACHE_DIR", tmp.resolve("pip-cache").toString(),
                "PIP_DISABLE_PIP_VERSION_CHECK", "1");
        TestRequirementsResolver.Result r = TestRequirementsResolver.resolve(venv.python(),
                List.of("iniconfig", "needsbroken", "ftm-no-such-project-0b7c==1.0"), wheelhouse, env,
                tmp.resolve("build.log"), Duration.ofMinutes(5));
        assertEquals(List.of("iniconfig"), r.fetched(), r.toString());
        Map<String, String> missing = r.missing().stream()
                .collect(Collectors.toMap(VariantResult.Missing::name, VariantResult.Missing::reason));
        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.get("needsbroken").contains("needs brokenlib failed to build")
                && missing.get("needsbroken").contains("undeclared_here"), missing.toString());
        assertTrue(missing.get("ftm-no-such-project-0b7c==1.0").contains("No matching distribution"), missing.toString());
        String log = Files.readString(tmp.resolve("build.log"));
        long pipRuns = log.lines().filter(l -> l.startsWith("[ftm] ") && l.contains(" -m pip wheel ")).count();
        assertEquals(3, pipRuns, "all three, without the missing one, without the broken one; none one by one: " + log);
        assertTrue(Files.list(wheelhouse).anyMatch(p -> p.getFileName().toString().startsWith("iniconfig-")));
    }

    @Test
    void aProjectsOwnPinOfAHarnessRequirementGivesWayToTheHarnesss() {
        TestRequirementsResolver.Result r = TestRequirementsResolver.withoutTools(
                List.of("pytest==8.3.3", "pytest_run_parallel==0.2.0", "hypothesis"), List.of("pytest", "pytest-run-parallel>=0.10"));
        assertEquals(List.of("pytest==8.3.3", "hypothesis"), r.fetched());
        assertEquals(List.of(new VariantResult.Missing("pytest_run_parallel==0.2.0",
                "the harness installs its own pytest-run-parallel>=0.10")), r.missing());
    }
}
