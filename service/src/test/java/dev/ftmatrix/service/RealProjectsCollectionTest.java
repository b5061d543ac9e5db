package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.scanner.ProjectScanner;
import dev.ftmatrix.scanner.SourceFetcher;
import dev.ftmatrix.testrunner.VariantRun;
import dev.ftmatrix.builder.Build;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real releases from the index: the harness collects exactly what {@code pytest --collect-only -q} collects in the
 * project's root, under the project's own configuration (rootdir, testpaths, conftest files, addopts, import mode),
 * with the project's test requirements installed as the scanner read them.
 */
class RealProjectsCollectionTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @Tag("slow")
    @ValueSource(strings = {"markupsafe==3.0.2", "wrapt==2.4.0", "setproctitle==1.3.6", "ujson==5.13.0", "lz4==4.4.5"})
    void theHarnessCollectsWhatPytestCollects(String release) throws java.io.IOException {
        Path cache = Toolchains.defaultCacheRoot();
        Toolchain cp313 = new Toolchains(cache, Progress.NONE).find(Variant.parse("cp313")).orElseThrow(
                () -> new AssertionError("no cp313 toolchain: run ./ftm toolchain install cp313"));
        FetchedSource src = new SourceFetcher(cache, Progress.NONE).fetch("pypi:" + release, "", "", tmp.resolve("src"));
        ProjectScan scan = new ProjectScanner(new SourceScan(src.dir()).call().declaredModules()).scan(src);
        Path work = tmp.resolve("work");
        VariantRun.Outcome o = BuildThenTest.of(new Build(src.dir(), cp313, work).sandbox(Sandbox.local())
                .pipCache(cache.resolve("pip")).testRequirements(scan.tests().requirements()), TestOptions.defaults(),
                Progress.NONE).collectOnly(true).call();
        assertTrue(o.build().ok(), o.build().reason() + "\n" + o.build().logTail());
        List<String> harness = o.collection().ids();
        assertTrue(harness != null && !harness.isEmpty(), "the harness collected nothing: " + o.testError());

        Map<String, String> env = new HashMap<>();
        env.put("PATH", work.resolve("venv/bin") + ":/usr/bin:/bin");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("LD_LIBRARY_PATH", cp313.libpython().getParent().toString());
        Processes.Run pytest = Processes.run(List.of(work.resolve("venv/bin/pytest").toString(), "--collect-only", "-q", "--continue-on-collection-errors",
                "-p", "no:cacheprovider"), src.dir(), env, tmp.resolve("pytest.log"), l -> { }, Duration.ofMinutes(5));
        // the log holds every line (a run's in-memory output is bounded: lz4 collects 19,804 tests)
        List<String> ids = new ArrayList<>(java.nio.file.Files.readAllLines(tmp.resolve("pytest.log")).stream()
                .filter(l -> l.contains("::") && !l.startsWith("ERROR")).toList());
        assertEquals(ids.size(), harness.size(), "pytest collected " + ids.size() + ", the harness " + harness.size()
                + "; dropped options " + o.collection().droppedOptions() + "\n" + pytest.tail(20));
        assertEquals(ids, harness);
    }
}
