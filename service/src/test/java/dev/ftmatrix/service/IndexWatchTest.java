package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ftm serve --watch} against the real PyPI: new releases enqueue their checks, an unchanged page nothing. */
class IndexWatchTest {
    @TempDir
    Path tmp;

    private final List<String> lines = new ArrayList<>();

    private MatrixFile matrix(String... sources) throws Exception {
        StringBuilder yaml = new StringBuilder("schema: 1\nname: watched\nvariants: [cp313, cp313t]\nprojects:\n");
        for (String s : sources) {
            yaml.append("  - name: ").append(s.replaceFirst("pypi:", "").replaceFirst("==.*", "")).append("\n    source: ")
                    .append(s).append('\n');
        }
        Path f = tmp.resolve("watched.yaml");
        Files.writeString(f, yaml);
        return MatrixFile.load(f);
    }

    /** A stored result of {@code project} from the source {@code fingerprint}, for {@code variant}. */
    private static CheckResult stored(String project, String fingerprint, String variant) {
        VariantResult v = new VariantResult(Variant.parse(variant), variant + " 3.13.5 (debian-source)",
                new BuildResult(true, "", List.of(), "built", 1200), List.of(project), false, "",
                List.of(new TestResult("tests/test_a.py::test_a", TestOutcome.PASS, "", 3)), Verdict.READY, "ready",
                "none", List.of());
        return new CheckResult(CheckResult.SCHEMA, project, "pypi:" + project, fingerprint, true, null, List.of(),
                new TreeMap<>(Map.of(variant, v)), "2026-11-01T10:00:00Z", Pipeline.STAGES);
    }

    @Test
    void aNewReleaseEnqueuesItsChecksOnceAndAnUnchangedPageNothing() throws Exception {
        StoreLocation at = StoreLocation.sqlite(tmp.resolve("results"));
        try (ResultStore store = ResultStore.open(at, false)) {
            // the store knows markupsafe from an older release only
            store.put(stored("markupsafe", "sha256:" + "0".repeat(64), "cp313"));
        }
        try (ResultStore store = ResultStore.open(at, true);
             IndexWatch watch = IndexWatch.open(matrix("pypi:markupsafe", "pypi:simplejson==3.19.3"), at, store, lines::add);
             JobEngine queue = JobEngine.open(at)) {
            assertEquals(List.of("markupsafe"), watch.tracked().stream().map(ProjectSpec::name).toList());
            IndexWatch.Polled first = watch.poll(watch.tracked().getFirst());
            assertEquals(IndexWatch.Kind.NEW_RELEASE, first.kind(), first.detail());
            assertEquals(List.of("cp313", "cp313t"), first.enqueued().stream().map(CheckJob::variant).toList());
            String source = first.enqueued().getFirst().source();
            assertTrue(source.matches("pypi:markupsafe==\\d+(\\.\\d+)+"), source);
            assertEquals(2, queue.counts().enqueued());

            IndexWatch.Polled second = watch.poll(watch.tracked().getFirst());
            assertEquals(IndexWatch.Kind.UNCHANGED, second.kind(), second.detail());
            assertTrue(second.enqueued().isEmpty());
            assertEquals(2, queue.counts().enqueued(), "the unchanged page enqueued nothing");
        }
    }

    @Test
    void aReleaseTheStoreHoldsEnqueuesNothingAndItsJobsAreKeyedOnce() throws Exception {
        StoreLocation at = StoreLocation.sqlite(tmp.resolve("results"));
        IndexPages.Release latest;
        try (IndexPages pypi = new IndexPages(IndexPages.PYPI)) {
            IndexPages.Answer a = pypi.ask("markupsafe", IndexPages.Validators.NONE);
            assertTrue(a.changed());
            latest = a.latest().orElseThrow();
            assertFalse(latest.version().isEmpty());
        }
        try (ResultStore store = ResultStore.open(at, false)) {
            store.put(stored("markupsafe", latest.fingerprint(), "cp313"));
            store.put(stored("markupsafe", latest.fingerprint(), "cp313t"));
        }
        try (ResultStore store = ResultStore.open(at, true);
             IndexWatch watch = IndexWatch.open(matrix("pypi:markupsafe"), at, store, lines::add);
             JobEngine queue = JobEngine.open(at)) {
            List<IndexWatch.Polled> round = watch.poll();
            assertEquals(IndexWatch.Kind.CURRENT, round.getFirst().kind(), round.getFirst().detail());
            assertEquals(0, queue.counts().enqueued());
            assertTrue(lines.getLast().startsWith("index: looked at 1 project(s)"), lines.getLast());

            // the same release's job enqueued again (a restarted watch, before a worker took it) is skipped
            List<CheckJob> jobs = CheckJob.of(new ProjectSpec("markupsafe", "pypi:markupsafe==" + latest.version(), "", "",
                    List.of(Variant.parse("cp313t")), Map.of(), List.of()));
            queue.enqueueOnce(jobs, latest.fingerprint());
            queue.enqueueOnce(jobs, latest.fingerprint());
            assertEquals(1, queue.counts().enqueued());
        }
    }

    @Test
    void aMatrixWithoutAProjectThatFollowsTheIndexIsRefused() throws Exception {
        StoreLocation at = StoreLocation.sqlite(tmp.resolve("results"));
        new ResultStore(at.sqliteDir()).close();
        try (ResultStore store = ResultStore.open(at, true)) {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> IndexWatch.open(matrix("pypi:simplejson==3.19.3"), at, store, lines::add));
            assertTrue(e.getMessage().contains("pypi:NAME (without ==VERSION)"), e.getMessage());
        }
    }

    @Test
    void aProjectTheIndexDoesNotHaveIsTheMatrixsError() throws Exception {
        StoreLocation at = StoreLocation.sqlite(tmp.resolve("results"));
        new ResultStore(at.sqliteDir()).close();
        try (ResultStore store = ResultStore.open(at, true);
             IndexWatch watch = IndexWatch.open(matrix("pypi:ftm-no-such-project-xq7"), at, store, lines::add)) {
            UserInputException e = assertThrows(UserInputException.class, () -> watch.start(java.time.Duration.ofSeconds(60)));
            assertTrue(e.getMessage().contains("ftm-no-such-project-xq7"), e.getMessage());
        }
    }
}
