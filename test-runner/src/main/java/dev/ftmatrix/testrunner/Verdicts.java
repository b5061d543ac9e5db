package dev.ftmatrix.testrunner;

import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.testrunner.harness.StepResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides the verdict of one (project, variant), blaming free-threading only for what the baseline (the same suite,
 * alone and concurrently, with the GIL) does not also show.
 *
 * <p>A test counts against free-threading when it fails without the GIL and, with the GIL, passes alone and in every
 * concurrent run. A concurrent failure is first confirmed: the free-threaded build runs the test concurrently
 * {@link #CONFIRM_RUNS} more times, the GIL build {@link #CONFIRM_RUNS_WITH_GIL} times with the copies paused at random
 * at each line of the project's own code (so they overlap as they do without the GIL); if it fails even once with the GIL, the test races
 * with itself (two copies sharing a counter or patching one attribute): a <em>thread-unsafe test</em>, listed with
 * both failure rates and not counted. A rate without the GIL merely higher than with it proves nothing about the
 * project, since real parallelism makes any racy test fail more often; only a test that never fails with the GIL is
 * the project's. A crash or hang always counts. Tests detected as unsafe before running (pytest-run-parallel's rules)
 * ran single-threaded and are listed. A test that cannot import a test requirement ftm could not install is not
 * counted either.
 */
public final class Verdicts {
    /** Extra concurrent runs without the GIL of a test that failed concurrently only there: its rate. */
    public static final int CONFIRM_RUNS = 20;

    /**
     * Extra concurrent runs with the GIL of such a test, its copies interleaved line by line at random: more than
     * without, since one failure with the GIL is the evidence sought and a race with itself may need a rare skew
     * (wrapt's module-patching tests fail in about 1 of 30 such runs).
     */
    public static final int CONFIRM_RUNS_WITH_GIL = 60;

    private static final Pattern NO_MODULE = Pattern.compile("No module named '([A-Za-z0-9_.]+)'");

    /** A verdict with the sentence that explains it and the tests not counted against free-threading. */
    public record Decision(Verdict verdict, String reason, List<VariantResult.ThreadUnsafeTest> threadUnsafe) {
        public Decision {
            threadUnsafe = threadUnsafe == null ? List.of() : List.copyOf(threadUnsafe);
        }

        public Decision(Verdict verdict, String reason) {
            this(verdict, reason, List.of());
        }
    }

    private Verdicts() {
    }

    /**
     * @param baseline the same project's run with the GIL (the GIL build of the same version, or the free-threaded
     *     build with {@code PYTHON_GIL=1}); null when there is none, and then every failure counts
     */
    public static Decision decide(Variant variant, VariantRun.Outcome run, VariantRun.Outcome baseline) {
        return decide(variant, run, baseline, Set.of());
    }

    /**
     * @param unconfirmed tests that failed concurrently only without the GIL whose confirmation did not finish (its
     *     budget ran out): neither counted against the project nor passed; with nothing else wrong the verdict is
     *     {@code untested}
     */
    public static Decision decide(Variant variant, VariantRun.Outcome run, VariantRun.Outcome baseline,
                                  Set<String> unconfirmed) {
        if (!run.ftmError().isEmpty()) {
            return new Decision(Verdict.ERROR, "not checked: ftm failed at " + run.ftmError());
        }
        if (!run.build().ok()) {
            return new Decision(Verdict.BUILD_FAILED, run.build().reason());
        }
        if (!run.importErrors().isEmpty()) {
            Map.Entry<String, String> first = run.importErrors().entrySet().iterator().next();
            return new Decision(Verdict.IMPORT_FAILED, first.getKey() + " does not import"
                    + (run.importErrors().size() > 1 ? " (and " + (run.importErrors().size() - 1) + " more)" : "")
                    + ": " + lastLine(first.getValue()));
        }
        if (!run.testError().isEmpty() && run.tests().isEmpty()) {
            boolean baselineRan = baseline != null && !baseline.tests().isEmpty();
            if (variant.freeThreaded() && baselineRan && run.testError().contains("killed the interpreter")) {
                return new Decision(Verdict.CRASH, firstLine(run.testError()));
            }
            return new Decision(Verdict.ERROR, "not checked: ftm failed at tests: the harness could not run the suite: "
                    + firstLine(run.testError()));
        }
        Set<String> missing = run.testRequirements().missing().stream().map(m -> normalise(m.name()))
                .collect(Collectors.toSet());
        // the project's own packages: a test importing a part of them the build left out (an experimental
        // subpackage built only on request) tests something this wheel does not have
        Set<String> own = run.modules().stream().map(m -> normalise(m.split("\\.")[0])).collect(Collectors.toSet());
        Map<String, VariantResult.ThreadUnsafeTest> unsafe = new LinkedHashMap<>();
        run.collection().threadUnsafe().forEach((id, why) -> unsafe.put(id, new VariantResult.ThreadUnsafeTest(id,
                "run single-threaded: " + why)));
        Map<String, TestResult> base = new LinkedHashMap<>();
        if (baseline != null) {
            baseline.tests().forEach(t -> base.put(t.id(), t));
        }
        List<TestResult> ftOnly = new ArrayList<>();
        List<TestResult> failing = new ArrayList<>();
        List<String> unimportable = new ArrayList<>();
        List<String> notConfirmed = new ArrayList<>();
        for (TestResult t : run.tests()) {
            TestResult b = base.get(t.id());
            if (b != null && b.concurrentFailures() > 0 && !unsafe.containsKey(t.id())
                    && t.outcome() != TestOutcome.CRASH && t.outcome() != TestOutcome.HANG) {
                unsafe.put(t.id(), new VariantResult.ThreadUnsafeTest(t.id(), String.format(Locale.ROOT,
                        "fails concurrently with the GIL too: %d of %d run(s) with the GIL, %d of %d without"
                                + " (%d threads)", b.concurrentFailures(), b.concurrentRuns(), t.concurrentFailures(),
                        t.concurrentRuns(), Math.max(t.threads(), b.threads()))));
            }
            if (!t.outcome().isBad()) {
                continue;
            }
            String dep = missingModule(t.message(), missing);
            if (dep != null) {
                unimportable.add(t.id() + " (needs " + dep + ")");
                continue;
            }
            String part = missingModule(t.message(), own);
            if (part != null && part.contains(".") && (b == null || b.outcome().isBad() || !variant.freeThreaded())) {
                unimportable.add(t.id() + " (imports " + part + ", which the built wheel does not contain)");
                continue;
            }
            if (!variant.freeThreaded()) {
                if (TestResult.CONCURRENT.equals(t.phase()) && t.outcome() != TestOutcome.CRASH
                        && t.outcome() != TestOutcome.HANG) {
                    unsafe.putIfAbsent(t.id(), new VariantResult.ThreadUnsafeTest(t.id(), String.format(Locale.ROOT,
                            "fails concurrently with the GIL: %d of %d run(s) (%d threads)", t.concurrentFailures(),
                            t.concurrentRuns(), t.threads())));
                } else {
                    failing.add(t);
                }
                continue;
            }
            if (b != null && b.outcome().isBad() && !TestResult.CONCURRENT.equals(b.phase())) {
                failing.add(t);   // fails alone with the GIL as well
            } else if (TestResult.CONCURRENT.equals(t.phase()) && unsafe.containsKey(t.id())) {
                continue;         // a thread-unsafe test: listed, not counted
            } else if (TestResult.CONCURRENT.equals(t.phase()) && unconfirmed.contains(t.id())
                    && t.outcome() != TestOutcome.CRASH && t.outcome() != TestOutcome.HANG) {
                notConfirmed.add(t.id());
            } else {
                ftOnly.add(t);
            }
        }
        List<VariantResult.ThreadUnsafeTest> unsafeList = List.copyOf(unsafe.values());
        List<String> memory = run.tests().stream()
                .filter(t -> t.message().startsWith(StepResults.MEMORY_LIMIT))
                .map(TestResult::id).toList();
        String notCounted = (memory.isEmpty() ? "" : "; " + memory.size() + " test(s) stopped by the sandbox's memory"
                + " limit, not counted: " + String.join(", ", memory.stream().limit(3).toList()))
                + (unsafeList.isEmpty() ? "" : "; " + unsafeList.size() + " thread-unsafe test(s) not counted")
                + (unimportable.isEmpty() ? "" : "; " + unimportable.size() + " test(s) not counted, they cannot import"
                + " what they test: " + String.join(", ", unimportable.stream().limit(3).toList()))
                + (notConfirmed.isEmpty() ? "" : "; " + notConfirmed.size() + " test(s) failed concurrently only without"
                + " the GIL, unconfirmed (too rare, or the budget ran out), not counted: "
                + String.join(", ", notConfirmed.stream().limit(3).toList()));
        for (TestOutcome o : List.of(TestOutcome.CRASH, TestOutcome.HANG)) {
            List<String> ids = ftOnly.stream().filter(t -> t.outcome() == o).map(TestResult::id).toList();
            if (!ids.isEmpty()) {
                return new Decision(o == TestOutcome.CRASH ? Verdict.CRASH : Verdict.HANG,
                        (o == TestOutcome.CRASH ? "crashed" : "hung") + " without the GIL: " + describe(ftOnly, o)
                                + notCounted, unsafeList);
            }
        }
        if (!ftOnly.isEmpty()) {
            long single = ftOnly.stream().filter(t -> TestResult.SINGLE.equals(t.phase())).count();
            return new Decision(Verdict.FT_FAILURES, ftOnly.size() + " test(s) fail only without the GIL ("
                    + single + " alone, " + (ftOnly.size() - single) + " only concurrently): "
                    + ftOnly.stream().map(Verdicts::label).limit(5).collect(Collectors.joining(", ")) + notCounted,
                    unsafeList);
        }
        if (!failing.isEmpty()) {
            return new Decision(Verdict.BASELINE_FAILING, failing.size() + " test(s) fail with the GIL"
                    + (variant.freeThreaded() ? " too" : "") + ": "
                    + failing.stream().map(TestResult::id).limit(5).collect(Collectors.joining(", "))
                    + " (" + errorLine(failing.getFirst().message()) + ")" + notCounted, unsafeList);
        }
        long passed = run.tests().stream().filter(t -> t.outcome() == TestOutcome.PASS).count();
        if (!notConfirmed.isEmpty()) {
            return new Decision(Verdict.UNTESTED, passed + " test(s) pass, but " + notConfirmed.size() + " failed"
                    + " concurrently only without the GIL and could not be confirmed (too rarely to tell from a race of"
                    + " the test's own, or the budget ran out): neither ready nor blamed" + notCounted, unsafeList);
        }
        if (passed == 0) {
            String why = run.collection().ids() != null && run.collection().ids().isEmpty() ? "pytest collected no test"
                    + (run.collection().rootdir().isEmpty() ? "" : " under " + run.collection().rootdir())
                    + startError(run.collection().startError())
                    : run.tests().isEmpty() ? "no test ran"
                    : "every test was skipped or not run (" + run.tests().size() + ")";
            return new Decision(Verdict.UNTESTED, why + (run.testError().isEmpty() ? "" : "; " + firstLine(run.testError()))
                    + notCounted, unsafeList);
        }
        if (run.modules().isEmpty()) {
            return new Decision(Verdict.UNTESTED, passed + " test(s) pass, but the built wheel holds no extension module"
                    + " (a project that builds its C extension only where a library is found, such as PyYAML without"
                    + " libyaml, built without it): no module was there to import" + notCounted, unsafeList);
        }
        String ran = passed + " test(s) pass" + (variant.freeThreaded() ? " with PYTHON_GIL=0" : "");
        if (variant.freeThreaded() && Boolean.TRUE.equals(run.gilEnabledAfterImport())) {
            String who = run.gilReenabledBy().isEmpty() ? "an extension module" : run.gilReenabledBy();
            return new Decision(Verdict.WORKS_UNDECLARED, ran + ", but importing " + who
                    + " with PYTHON_GIL unset re-enables the GIL: it does not declare free-threading support"
                    + " (Py_mod_gil)" + notCounted, unsafeList);
        }
        if (variant.freeThreaded() && run.gilEnabledAfterImport() == null) {
            return new Decision(Verdict.UNTESTED, ran + ", but the import probe did not measure the GIL after import"
                    + (run.importProbe().isEmpty() ? "" : ": " + run.importProbe()) + notCounted, unsafeList);
        }
        return new Decision(Verdict.READY, ran + (variant.freeThreaded()
                ? " and the GIL stays disabled after importing " + String.join(", ", run.modules()) : "")
                + notCounted, unsafeList);
    }

    /**
     * The tests that failed only concurrently without the GIL while the baseline never failed them concurrently:
     * those to run {@link #CONFIRM_RUNS} more times on both builds before deciding.
     */
    public static List<String> toConfirm(VariantRun.Outcome run, VariantRun.Outcome baseline) {
        if (baseline == null) {
            return List.of();
        }
        Map<String, TestResult> base = new LinkedHashMap<>();
        baseline.tests().forEach(t -> base.put(t.id(), t));
        return run.tests().stream().filter(t -> TestResult.CONCURRENT.equals(t.phase())
                        && t.outcome() != TestOutcome.CRASH && t.outcome() != TestOutcome.HANG)
                .filter(t -> base.containsKey(t.id()) && !base.get(t.id()).outcome().isBad())
                .map(TestResult::id).toList();
    }

    /** Below this, a rate without the GIL is told apart from a rate with it (one-sided Fisher exact test). */
    public static final double CONFIRM_P = 0.01;

    /**
     * How likely failures without the GIL at least this many, were the test equally likely to fail with it: the
     * one-sided p of Fisher's exact test on (failures, runs) without and with the GIL. A test failing in 1 of 21
     * runs without the GIL and 0 of 61 with it gives 0.26: too rare to tell from a race of the test's own; 21 of 21
     * against 0 of 61 gives about 1e-19.
     */
    public static double fisher(int failuresWithout, int runsWithout, int failuresWith, int runsWith) {
        int n = runsWithout + runsWith;
        int k = failuresWithout + failuresWith;
        double p = 0;
        for (int x = failuresWithout; x <= Math.min(k, runsWithout); x++) {
            p += Math.exp(logChoose(k, x) + logChoose(n - k, runsWithout - x) - logChoose(n, runsWithout));
        }
        return Math.min(1.0, p);
    }

    private static double logChoose(int n, int r) {
        if (r < 0 || r > n) {
            return Double.NEGATIVE_INFINITY;
        }
        double s = 0;
        for (int i = 1; i <= r; i++) {
            s += Math.log(n - r + i) - Math.log(i);
        }
        return s;
    }

    /** {@code tests} with more concurrent runs of some of them folded in: runs and failures add up. */
    public static List<TestResult> withMoreRuns(List<TestResult> tests, Map<String, TestResult> more) {
        List<TestResult> out = new ArrayList<>();
        for (TestResult t : tests) {
            TestResult m = more.get(t.id());
            if (m == null || TestResult.SINGLE.equals(t.phase())) {
                out.add(t);
                continue;
            }
            int runs = t.concurrentRuns() + m.concurrentRuns();
            int failures = t.concurrentFailures() + m.concurrentFailures();
            TestResult worst = t.outcome().isBad() ? t : m;
            String rate = String.format(Locale.ROOT, "%d of %d concurrent run(s) failed (%d threads)", failures, runs,
                    Math.max(t.threads(), m.threads()));
            out.add(new TestResult(t.id(), failures > 0 ? worst.outcome() : t.outcome(),
                    failures > 0 ? rate + ":\n" + worst.message() : t.message(), t.millis() + m.millis(),
                    failures > 0 ? TestResult.CONCURRENT : "", Math.max(t.threads(), m.threads()), runs, failures));
        }
        return out;
    }

    private static String missingModule(String message, Set<String> missing) {
        if (missing.isEmpty()) {
            return null;
        }
        Matcher m = NO_MODULE.matcher(message);
        while (m.find()) {
            String top = normalise(m.group(1).split("\\.")[0]);
            if (missing.contains(top)) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String describe(List<TestResult> ts, TestOutcome o) {
        return ts.stream().filter(t -> t.outcome() == o).map(Verdicts::label).limit(5).collect(Collectors.joining(", "));
    }

    private static String label(TestResult t) {
        return t.id() + (TestResult.CONCURRENT.equals(t.phase()) ? String.format(Locale.ROOT,
                " [concurrently, %d threads, %d of %d run(s)]", t.threads(), t.concurrentFailures(), t.concurrentRuns())
                : " [alone]");
    }

    /** PEP 503 normalised, also for import names: {@code Foo_Bar} and {@code foo-bar} are one. */
    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-").replaceAll("\\[.*$", "")
                .replaceAll("[<>=!~;\\s].*$", "");
    }

    /** The line of a failure's text that says what went wrong ({@code E   ModuleNotFoundError: ...}), bounded. */
    static String errorLine(String message) {
        List<String> lines = message.strip().lines().map(String::strip).toList();
        String l = lines.stream().filter(x -> x.startsWith("E ")).findFirst()
                .orElse(lines.isEmpty() ? "" : lines.getLast()).replaceFirst("^E\\s+", "");
        return l.length() > 160 ? l.substring(0, 160) + "..." : l;
    }

    /** The gist of what pytest printed when it ended before collecting: its first line and the exception's line. */
    static String startError(String said) {
        if (said == null || said.isBlank()) {
            return "";
        }
        List<String> lines = said.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String exception = lines.reversed().stream().filter(l -> l.startsWith("E ")).findFirst()
                .map(l -> l.substring(1).strip()).orElse("");
        String first = lines.getFirst();
        return ": pytest ended before collecting: " + first
                + (exception.isEmpty() || exception.equals(first) ? "" : " " + exception);
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static String lastLine(String s) {
        List<String> lines = s.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }
}
