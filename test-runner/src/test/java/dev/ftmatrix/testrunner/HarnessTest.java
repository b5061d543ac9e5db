package dev.ftmatrix.testrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.testrunner.harness.Step;
import dev.ftmatrix.builder.Venv;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The harness on a small pure-Python suite: every outcome, the parallel phase, thread-unsafe tests, iterations. */
@Tag("slow")
class HarnessTest {
    static Toolchain ft;
    static Venv venv;
    static Path project;
    static Path work;

    private static final String SUITE = """
            import threading
            import time

            import pytest

            inside = []


            def test_passes():
                assert sum(range(10)) == 45


            def test_fails():
                assert [1, 2] == [1, 3]


            @pytest.fixture
            def broken():
                raise RuntimeError("no database here")


            def test_errors_in_setup(broken):
                pass


            def test_skips():
                pytest.skip("not on this platform")


            def alone():
                inside.append(threading.get_ident())
                time.sleep(0.3)
                others = len(inside) - 1
                inside.remove(threading.get_ident())
                assert others == 0, "another copy of this test ran at the same time"


            def test_races_with_itself():
                alone()


            @pytest.mark.thread_unsafe
            def test_marked_thread_unsafe():
                alone()


            def test_listed_thread_unsafe():
                alone()
            """;

    @BeforeAll
    static void venv() throws Exception {
        ft = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313t"), "debian");
        work = Files.createDirectories(Path.of("target", "harness-test").toAbsolutePath());
        project = Files.createDirectories(work.resolve("suite"));
        Files.createDirectories(project.resolve("tests"));
        Files.writeString(project.resolve("tests/test_suite.py"), SUITE);
        venv = Venv.create(ft, work.resolve("venv"), Toolchains.defaultCacheRoot().resolve("pip"), work.resolve("venv.log"));
        Processes.Run pip = venv.pip(work, Duration.ofMinutes(5), "install", "pytest");
        assertTrue(pip.ok(), pip.tail(20));
    }

    private static Harness harness(String name) {
        Map<String, String> env = new java.util.HashMap<>(venv.env());
        env.put("PYTHON_GIL", "0");
        return new Harness(ft.libpython(), venv.dir(), project, work.resolve(name)).env(env).threads(2)
                .deadline(Duration.ofSeconds(30));
    }

    private static TestResult test(Harness.Report r, String name) {
        return r.tests().stream().filter(t -> t.id().endsWith("::" + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + r.tests()));
    }

    /**
     * wrapt 2.4.0's shape: a test that changes the process for good (it wraps a class attribute and never unwraps), so
     * a second run in one process fails. Its concurrent copies fail; run alone after them in the same process it
     * failed again, and ftm called the suite baseline-failing where a plain pytest run passes. Alone, in a fresh
     * child, it passes: the failure is one of running at once.
     */
    @Test
    void aConcurrentFailureRunsAloneInAFreshChildNotAfterItsCopiesChangedTheProcess() throws Exception {
        Path p = Files.createDirectories(work.resolve("for-good").resolve("tests"));
        Files.writeString(p.resolve("test_for_good.py"), """
                runs_here = []


                def test_changes_the_process_for_good():
                    runs_here.append(1)
                    assert len(runs_here) == 1, "it ran before in this process"


                def test_other():
                    assert True
                """);
        Map<String, String> env = new java.util.HashMap<>(venv.env());
        env.put("PYTHON_GIL", "0");
        Harness.Report r = new Harness(ft.libpython(), venv.dir(), p.getParent(), work.resolve("for-good-run")).env(env)
                .threads(2).deadline(Duration.ofSeconds(30)).call();
        assertEquals("", r.error());
        TestResult t = test(r, "test_changes_the_process_for_good");
        assertEquals(TestOutcome.FAIL, t.outcome(), t.toString());
        assertEquals(List.of("parallel", "single"), phases(r, "test_changes_the_process_for_good"));
        assertEquals(TestResult.CONCURRENT, t.phase(), "it passes alone in a fresh child: " + t.message());
        assertEquals(TestOutcome.PASS, test(r, "test_other").outcome());
        assertEquals(2, r.children());
    }

    @Test
    void recordsEveryOutcomeAndFailsOnlyTheTestThatRacesWithItself() {
        Harness.Report r = harness("outcomes").iterations(3)
                .threadUnsafe(List.of("tests/test_suite.py::test_listed_thread_unsafe")).call();
        assertEquals("", r.error());
        assertEquals(2, r.children(), "the single runs of the two concurrent failures in a child of their own");
        assertEquals(TestOutcome.PASS, test(r, "test_passes").outcome());
        TestResult failed = test(r, "test_fails");
        assertEquals(TestOutcome.FAIL, failed.outcome());
        assertTrue(failed.message().startsWith("single-threaded: "), failed.message());
        assertTrue(failed.message().contains("assert [1, 2] == [1, 3]"), failed.message());
        TestResult error = test(r, "test_errors_in_setup");
        assertEquals(TestOutcome.ERROR, error.outcome());
        assertTrue(error.message().contains("RuntimeError: no database here"), error.message());
        assertEquals(TestOutcome.SKIP, test(r, "test_skips").outcome());

        TestResult raced = test(r, "test_races_with_itself");
        assertEquals(TestOutcome.FAIL, raced.outcome());
        assertTrue(raced.message().contains("with 2 threads at once, in every one of 3 concurrent run(s)"), raced.message());
        assertTrue(raced.message().contains("another copy of this test ran at the same time"), raced.message());
        assertEquals(TestOutcome.PASS, test(r, "test_marked_thread_unsafe").outcome());
        assertEquals(TestOutcome.PASS, test(r, "test_listed_thread_unsafe").outcome());

        long parallelSteps = r.steps().stream().filter(s -> Step.PARALLEL.equals(s.step().phase())).count();
        assertEquals(3 * 5, parallelSteps, "5 thread-safe tests, 3 iterations: " + r.steps());
        // each test runs once, as pytest-run-parallel runs it; only a concurrent failure is run again alone, after
        assertEquals(List.of("parallel", "parallel", "parallel"), phases(r, "test_passes"));
        assertEquals(List.of("parallel", "parallel", "parallel", "single"), phases(r, "test_races_with_itself"));
        assertEquals(List.of("parallel", "parallel", "parallel", "single"), phases(r, "test_fails"));
        assertEquals(List.of("single"), phases(r, "test_marked_thread_unsafe"));
        assertEquals(TestResult.CONCURRENT, raced.phase(), "it passes alone");
        assertEquals(TestResult.SINGLE, failed.phase(), "it fails alone too");
    }

    @Test
    void confirmationRunsWithUntilFirstFailureStopATestAtItsFirstFailureAndAddNoSingleRun() {
        String racer = "tests/test_suite.py::test_races_with_itself";
        String passer = "tests/test_suite.py::test_passes";
        List<Step> plan = new java.util.ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            plan.add(Step.parallel(racer, k));
            plan.add(Step.parallel(passer, k));
        }
        Harness.Report r = harness("until-failure").plan(plan).untilFirstFailure(true).call();
        assertEquals("", r.error(), "dropped runs are not runs left undone");
        assertEquals(List.of("parallel"), phases(r, "test_races_with_itself"), "one failure is the evidence");
        assertEquals(List.of("parallel", "parallel", "parallel", "parallel"), phases(r, "test_passes"));
        TestResult raced = test(r, "test_races_with_itself");
        assertEquals(1, raced.concurrentRuns());
        assertEquals(1, raced.concurrentFailures());
    }

    @Test
    void aModuleThatKillsTheInterpreterOnImportWithThePythonGilUnsetIsSaidSoAndNoTestRuns() throws Exception {
        Path site;
        try (var dirs = Files.list(venv.dir().resolve("lib"))) {
            site = dirs.findFirst().orElseThrow().resolve("site-packages");
        }
        // imports fine under the tests' PYTHON_GIL=0, segfaults in the probe that unsets it
        Files.writeString(site.resolve("ftm_crash_unless_gil_set.py"),
                "import ctypes, os\nif os.environ.get('PYTHON_GIL') is None:\n    ctypes.string_at(0)\n");
        try {
            Harness.Report r = harness("import-crash").probeWithGilUnset(true)
                    .modules(List.of("ftm_crash_unless_gil_set")).call();
            assertTrue(r.error().startsWith("importing ftm_crash_unless_gil_set killed the interpreter: signal 11"),
                    r.error());
            assertEquals(List.of(), r.tests());
        } finally {
            Files.delete(site.resolve("ftm_crash_unless_gil_set.py"));
        }
    }

    @Test
    void aTestThatLeavesStdoutABrokenPipeBreaksNoTestAfterItAndRunsAloneForItsDup2() throws Exception {
        Path p = Files.createDirectories(work.resolve("brokenpipe"));
        Files.createDirectories(p.resolve("tests"));
        // contourpy's shape: wurlitzer swaps fd 1 for a pipe; two copies at once left it a closed pipe
        Files.writeString(p.resolve("tests/test_fds.py"), """
                import os


                def test_leaves_stdout_a_closed_pipe():
                    r, w = os.pipe()
                    os.dup2(w, 1)
                    os.close(w)
                    os.close(r)


                def test_after():
                    assert True
                """);
        Map<String, String> env = new java.util.HashMap<>(venv.env());
        env.put("PYTHON_GIL", "0");
        Harness.Report r = new Harness(ft.libpython(), venv.dir(), p, work.resolve("brokenpipe-run")).env(env).threads(2)
                .deadline(Duration.ofSeconds(20)).call();
        assertEquals("", r.error());
        assertEquals(TestOutcome.PASS, test(r, "test_after").outcome(), test(r, "test_after").message());
        assertTrue(r.collection().threadUnsafe().getOrDefault("tests/test_fds.py::test_leaves_stdout_a_closed_pipe", "")
                .contains("redirects the process's file descriptors (dup2)"), r.collection().threadUnsafe().toString());
    }

    @Test
    void eachConcurrentCopyGetsItsOwnTmpPathAsPytestRunParallelGivesItsThreads() throws Exception {
        Path p = Files.createDirectories(work.resolve("tmppath"));
        Files.createDirectories(p.resolve("tests"));
        // setproctitle's test_weird_path: os.makedirs of a fixed name under tmp_path
        Files.writeString(p.resolve("tests/test_tmp.py"), """
                import os


                def test_makes_a_fixed_directory(tmp_path, tmpdir):
                    os.makedirs(tmp_path / "fixed_a")
                    tmpdir.mkdir("fixed_b")
                """);
        Map<String, String> env = new java.util.HashMap<>(venv.env());
        env.put("PYTHON_GIL", "0");
        Harness.Report r = new Harness(ft.libpython(), venv.dir(), p, work.resolve("tmppath-run")).env(env).threads(2)
                .deadline(Duration.ofSeconds(20)).call();
        TestResult t = test(r, "test_makes_a_fixed_directory");
        assertEquals(TestOutcome.PASS, t.outcome(), t.message());
        assertEquals(List.of("parallel"), phases(r, "test_makes_a_fixed_directory"));
    }

    private static List<String> phases(Harness.Report r, String name) {
        return r.steps().stream().filter(s -> s.step().id().endsWith("::" + name)).map(s -> s.step().phase()).toList();
    }

    @Test
    void probesTheGilAndRunsOnlySingleThreadedForABaseline() {
        Harness.Report r = harness("baseline").singleThreadedOnly(true).probeWithGilUnset(true)
                .modules(List.of("json", "no_such_module")).call();
        assertEquals(1, r.children(), "the probe with PYTHON_GIL unset runs in a python of its own beside the child");
        assertEquals(2, r.probes().size());
        Harness.Probe unset = r.probes().getFirst();
        assertEquals(null, unset.pythonGil());
        assertEquals(Boolean.FALSE, unset.gilEnabledAfter());
        assertTrue(unset.errors().get("no_such_module").startsWith("ModuleNotFoundError"), unset.errors().toString());
        assertEquals("0", r.probes().get(1).pythonGil());
        assertEquals(TestOutcome.PASS, test(r, "test_races_with_itself").outcome(), "never run in parallel");
        assertTrue(r.steps().stream().allMatch(s -> Step.SINGLE.equals(s.step().phase())));
    }

    @Test
    void aProjectsAddoptsWithExitFirstAndACollectionErrorStillRunsEveryTestAndUnittestCasesRunConcurrently()
            throws Exception {
        Path p = Files.createDirectories(work.resolve("exitfirst"));
        Files.createDirectories(p.resolve("tests"));
        // lz4's shape: -x in addopts, and a test module importing a part the build left out
        Files.writeString(p.resolve("setup.cfg"), "[tool:pytest]\naddopts = -x --tb=long --showlocals\n");
        Files.writeString(p.resolve("tests/test_missing.py"), "import no_such_part_of_the_project\n");
        Files.writeString(p.resolve("tests/test_ok.py"), """
                import threading
                import time
                import unittest

                inside = []


                def test_first():
                    assert True


                class TestShared(unittest.TestCase):
                    def test_races_with_itself(self):
                        inside.append(threading.get_ident())
                        time.sleep(0.3)
                        others = len(inside) - 1
                        inside.remove(threading.get_ident())
                        self.assertEqual(others, 0)
                """);
        Map<String, String> env = new java.util.HashMap<>(venv.env());
        env.put("PYTHON_GIL", "0");
        Harness.Report r = new Harness(ft.libpython(), venv.dir(), p, work.resolve("exitfirst-run")).env(env).threads(2)
                .deadline(Duration.ofSeconds(20)).call();
        assertEquals("", r.error());
        // the second child runs test_races_with_itself alone, as a plain pytest run would
        assertEquals(2, r.children(), "no test hung waiting for a session that -x had ended");
        assertEquals(TestOutcome.PASS, test(r, "test_first").outcome());
        assertTrue(r.tests().stream().anyMatch(t -> t.id().contains("test_missing") && t.outcome() == TestOutcome.ERROR),
                r.tests().toString());
        TestResult raced = test(r, "test_races_with_itself");
        assertEquals(TestOutcome.FAIL, raced.outcome(), "a unittest TestCase's test runs in both threads at once");
        assertEquals(TestResult.CONCURRENT, raced.phase());
    }

    @Test
    void aConftestThatDoesNotImportIsSaidInTheCollection() throws Exception {
        Path p = Files.createDirectories(work.resolve("badconftest"));
        Files.createDirectories(p.resolve("tests"));
        // boost-histogram's shape: the conftest imports a test requirement that is not there
        Files.writeString(p.resolve("tests/conftest.py"), "import pytest_benchmark_is_not_installed\n");
        Files.writeString(p.resolve("tests/test_ok.py"), "def test_first():\n    assert True\n");
        Map<String, String> env = new java.util.HashMap<>(venv.env());
        env.put("PYTHON_GIL", "0");
        Harness.Report r = new Harness(ft.libpython(), venv.dir(), p, work.resolve("badconftest-run")).env(env).threads(2)
                .deadline(Duration.ofSeconds(20)).call();
        assertEquals(List.of(), r.collection().ids());
        assertTrue(r.collection().startError().contains("ImportError while loading conftest"), r.collection().startError());
        String said = Verdicts.startError(r.collection().startError());
        assertTrue(said.contains("No module named 'pytest_benchmark_is_not_installed'"), said);
    }
}
