package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.toolchain.Toolchains;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a matrix from the SQLite store: what was stored is not redone, what was not is. The projects are real
 * source trees (the repository's tiny fixtures), really built and tested on cp313 (the toolchain scripts/test
 * builds), so a resumed run resumes real builds.
 */
@Tag("slow")
class MatrixRunnerResumeTest {
    @TempDir
    Path tmp;

    private static final Variant CP313 = Variant.parse("cp313");

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    private List<CheckResult> run(MatrixFile matrix, ResultStore store) {
        Toolchains toolchains = new Toolchains(Toolchains.defaultCacheRoot(), progress::add);
        assertTrue(toolchains.find(CP313).isPresent(), "no cp313 toolchain: run ./ftm toolchain install cp313");
        ToolchainResolver resolver = new ToolchainResolver(toolchains, List.of(), false, progress::add);
        // the user's cache for pip's downloads, as ftm run uses it; the work and the store are the test's own
        Pipeline pipeline = new Pipeline(Toolchains.defaultCacheRoot(), tmp.resolve("work"), resolver,
                Duration.ofSeconds(30), progress::add);
        return new MatrixRunner(pipeline, store, progress::add, false).run(matrix, UnaryOperator.identity());
    }

    private MatrixFile matrix(String... fixtures) throws IOException {
        Path root = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath();
        List<ProjectSpec> specs = new ArrayList<>();
        for (String f : fixtures) {
            Path copy = tmp.resolve("src").resolve(f);
            copyTree(root.resolve("fixtures").resolve(f), copy);
            specs.add(new ProjectSpec(f, "path:" + copy, "", "", List.of(CP313), Map.of(), List.of()));
        }
        return new MatrixFile("resume", specs);
    }

    @Test
    void aRerunRedoesNothingFinishedAndFinishesWhatWasNot() throws IOException {
        MatrixFile full = matrix("ft-ready", "ft-racy");
        Path results = tmp.resolve("results");
        try (ResultStore store = new ResultStore(results)) {
            // the first run "was killed" after its first project: only that one reached the store
            run(new MatrixFile("resume", full.projects().subList(0, 1)), store);
            assertEquals(1, store.count());
            assertEquals(Verdict.READY, store.latest("ft-ready").orElseThrow().variants().get("cp313").verdict(),
                    "a real build and test run, not a skipped variant");
        }
        CheckResult kept;
        try (ResultStore store = new ResultStore(results)) {
            kept = store.latest("ft-ready").orElseThrow();
            List<CheckResult> out = run(full, store);
            assertEquals(2, store.count(), "only the unfinished project was added");
            assertEquals(kept, out.getFirst(), "the finished project's stored result is reused as it was");
            assertTrue(progress.stream().anyMatch(l -> l.startsWith("ft-ready: unchanged since")), progress.toString());
            assertEquals(1, store.history("ft-racy").size());
            assertTrue(store.latest("ft-racy").orElseThrow().variants().get("cp313").build().ok(), "ft-racy was built");
            run(full, store);
            assertEquals(2, store.count(), "a second re-run redoes nothing");
        }
        Files.writeString(tmp.resolve("src/ft-ready/tests/test_new.py"), "def test_new():\n    assert True\n");
        try (ResultStore store = new ResultStore(results)) {
            run(full, store);
            assertEquals(3, store.count(), "a changed source is redone");
            assertEquals(List.of(kept.fingerprint(), store.latest("ft-ready").orElseThrow().fingerprint()),
                    store.history("ft-ready").stream().map(CheckResult::fingerprint).toList(), "and the old result stays");
        }
    }

    @Test
    void aResultOfOlderStagesIsRedoneNotKept() throws IOException {
        MatrixFile one = matrix("ft-ready");
        try (ResultStore store = new ResultStore(tmp.resolve("results"))) {
            CheckResult now = run(one, store).getFirst();
            assertEquals(Pipeline.STAGES, now.stages());
            // the same source, stored by an ftm whose stages were older
            store.put(new CheckResult(now.schema(), now.project(), now.source(), now.fingerprint(),
                    now.declaresFreeThreading(), now.facts(), now.findings(), now.variants(), now.finishedAt() + "-old", "1"));
            run(one, store);
            assertEquals(3, store.count(), "the older stages' result was redone");
            assertEquals(Pipeline.STAGES, store.latest("ft-ready").orElseThrow().stages());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
