package dev.ftmatrix.testrunner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Timings;
import dev.ftmatrix.testrunner.harness.ChildOptions;
import dev.ftmatrix.testrunner.harness.ChildProcesses;
import dev.ftmatrix.testrunner.harness.ChildRun;
import dev.ftmatrix.testrunner.harness.Events;
import dev.ftmatrix.testrunner.harness.Step;
import dev.ftmatrix.testrunner.harness.StepResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a project's tests in the embedded interpreter of a child JVM ({@code ftm harness}): every test once
 * single-threaded, then each thread-safe test's body in N Java threads at once. A crash or a passed deadline ends
 * only that child; the next one runs the steps left. Use: {@code new Harness(libpython, venv, project, work)
 * .threads(2).call()}.
 */
public final class Harness {
    private static final int MAX_CHILDREN = 50;

    private final Path libpython;
    private final Path venv;
    private final Path project;
    private final Path work;
    private ChildProcesses processes = ChildProcesses.LOCAL;
    private int threads = TestOptions.defaultThreads();
    private int iterations = TestOptions.DEFAULT_ITERATIONS;
    private Duration deadline = TestOptions.DEFAULT_TEST_DEADLINE;
    private boolean singleOnly;
    private boolean untilFailure;
    private boolean probeGilUnset;
    private List<String> modules = List.of();
    private List<String> pytestArgs = List.of();
    private List<String> threadUnsafe = List.of();
    private Map<String, String> env = Map.of();
    private Progress progress = Progress.NONE;
    private int maxConsecutiveHangs = TestOptions.DEFAULT_MAX_CONSECUTIVE_HANGS;
    private boolean collectOnly;
    private List<Step> plan;
    private Duration suiteDeadline = TestOptions.DEFAULT_SUITE_DEADLINE;
    /** How often a running child's progress is reported (milliseconds). */
    private static final long PROGRESS_EVERY = 30_000;
    private final Timings timings = new Timings();

    public Harness(Path libpython, Path venv, Path project, Path work) {
        this.libpython = libpython;
        this.venv = venv;
        this.project = project;
        this.work = work;
    }

    /** Threads, iterations, deadlines, the thread-unsafe list and pytest arguments, all from one record. */
    public Harness options(TestOptions o) {
        this.threads = o.threads();
        this.iterations = o.iterations();
        this.deadline = o.testDeadline();
        this.threadUnsafe = o.threadUnsafe();
        this.pytestArgs = o.pytestArgs();
        this.maxConsecutiveHangs = o.maxConsecutiveHangs();
        this.suiteDeadline = o.suiteDeadline();
        return this;
    }

    /** Java threads that run each test's body at once (default: the cores). */
    public Harness threads(int n) {
        this.threads = n;
        return this;
    }

    /** How often the parallel phase runs, to estimate how often a flaky test fails (default 1). */
    public Harness iterations(int k) {
        this.iterations = k;
        return this;
    }

    /** How long one test (single, or one parallel run) may take before its stacks are dumped and its child killed. */
    public Harness deadline(Duration d) {
        this.deadline = d;
        return this;
    }

    /** Only collect (and probe): the report's {@link Collection} says what pytest collected; no test runs. */
    public Harness collectOnly(boolean b) {
        this.collectOnly = b;
        return this;
    }

    /** Run exactly these steps (e.g. more concurrent runs of a few tests) instead of planning the suite. */
    public Harness plan(List<Step> steps) {
        this.plan = List.copyOf(steps);
        return this;
    }

    /** With a given plan: a test's remaining runs are dropped at its first failure (confirmation with the GIL). */
    public Harness untilFirstFailure(boolean b) {
        this.untilFailure = b;
        return this;
    }

    /** Only the single-threaded phase. */
    public Harness singleThreadedOnly(boolean b) {
        this.singleOnly = b;
        return this;
    }

    /** Also import the modules with {@code PYTHON_GIL} unset, to see whether they re-enable the GIL. */
    public Harness probeWithGilUnset(boolean b) {
        this.probeGilUnset = b;
        return this;
    }

    /** The project's extension modules, for the import probes. */
    public Harness modules(List<String> m) {
        this.modules = List.copyOf(m);
        return this;
    }

    public Harness pytestArgs(List<String> a) {
        this.pytestArgs = List.copyOf(a);
        return this;
    }

    /** Test ids to run single-threaded only, besides those marked {@code thread_unsafe}. */
    public Harness threadUnsafe(List<String> ids) {
        this.threadUnsafe = List.copyOf(ids);
        return this;
    }

    /** The tests' environment (e.g. {@code PYTHON_GIL=0}); a null value removes a variable. */
    public Harness env(Map<String, String> e) {
        this.env = new HashMap<>(e);
        return this;
    }

    /** Where the child JVMs run (default: local processes); VariantRun passes its sandbox. */
    public Harness processes(ChildProcesses p) {
        this.processes = p;
        return this;
    }

    public Harness progress(Progress p) {
        this.progress = p;
        return this;
    }

    /** What importing the modules did under one {@code PYTHON_GIL} setting (null: unset). */
    public record Probe(String pythonGil, Boolean gilEnabledAfter, String reenabledBy, Map<String, String> errors) {
        public Probe {
            errors = Map.copyOf(errors);
        }
    }

    /**
     * The run: tests in collection order; {@code error} is non-empty when the tests could not be run at all.
     *
     * @param probes the import probes, {@code PYTHON_GIL} unset first when asked for
     * @param children how many child JVMs it took (one more per crash or hang)
     * @param steps every step with its own outcome and time, in the order run
     */
    public record Report(List<TestResult> tests, List<Probe> probes, Map<String, String> collectErrors, long wallMillis,
                         int children, String error, List<StepResults.Done> steps, Collection collection) {
        public Report {
            tests = List.copyOf(tests);
            steps = List.copyOf(steps);
            probes = List.copyOf(probes);
            collectErrors = Map.copyOf(collectErrors);
            collection = collection == null ? Collection.NONE : collection;
        }

        public Report(List<TestResult> tests, List<Probe> probes, Map<String, String> collectErrors, long wallMillis,
                      int children, String error, List<StepResults.Done> steps) {
            this(tests, probes, collectErrors, wallMillis, children, error, steps, Collection.NONE);
        }
    }

    /**
     * What collection found, as pytest under the project's configuration: the ids, the tests run single-threaded
     * only with why, the addopts dropped (options of plugins not installed), and the stop reason when not all ran.
     *
     * @param ids null when collection never finished
     */
    /**
     * What pytest collected.
     *
     * @param startError what pytest printed when its session ended before collecting (a conftest that does not import,
     *                   a usage error); empty otherwise
     */
    public record Collection(List<String> ids, Map<String, String> threadUnsafe, List<String> droppedOptions,
                             String detector, String rootdir, String startError) {
        public static final Collection NONE = new Collection(null, Map.of(), List.of(), "", "", "");

        public Collection {
            threadUnsafe = Collections.unmodifiableMap(new LinkedHashMap<>(threadUnsafe));   // in collection order
            droppedOptions = List.copyOf(droppedOptions);
        }

        static Collection of(ChildRun c) {
            if (c.collected() == null) {
                return NONE;
            }
            Map<String, String> unsafe = new LinkedHashMap<>();
            c.collected().path("threadUnsafe").properties().forEach(e -> unsafe.put(e.getKey(), e.getValue().asText()));
            List<String> dropped = new ArrayList<>();
            c.collected().path("droppedOptions").forEach(n -> dropped.add(n.asText()));
            return new Collection(c.ids(), unsafe, dropped, c.collected().path("detector").asText(""),
                    c.collected().path("rootdir").asText(""), c.collected().path("startError").asText(""));
        }
    }

    public Report call() {
        long t0 = System.nanoTime();
        mkdirs(work);
        List<Probe> probes = new ArrayList<>();
        List<StepResults.Done> steps = new ArrayList<>();
        int children = 0;
        StepResults done = new StepResults();
        List<String> ids = null;
        Map<String, String> collectErrors = new TreeMap<>();
        List<Step> left = null;
        Collection collection = Collection.NONE;
        int hangsInARow = 0;
        String lastHung = "";
        String stopped = "";
        for (int attempt = 0; attempt < MAX_CHILDREN; attempt++) {
            Path planFile = null;
            if (collectOnly || (plan != null && left == null)) {
                planFile = work.resolve("plan-given.jsonl");
                writePlan(planFile, collectOnly ? List.of() : plan);
            }
            if (left != null) {
                left = left.stream().filter(s -> toRun(s, done)).toList();
                if (left.isEmpty()) {
                    break;
                }
                planFile = work.resolve("plan-" + attempt + ".jsonl");
                writePlan(planFile, left);
            }
            ChildRun c = runChild("tests-" + attempt, options(work.resolve("events-" + attempt + ".jsonl"), false, planFile,
                    probeGilUnset && attempt == 0), env);
            account(c);
            children++;
            if (attempt == 0) {
                JsonNode killed = c.probes().stream().filter(p -> p.has("killed")).findFirst().orElse(null);
                if (killed != null) {
                    return new Report(List.of(), List.of(), Map.of(), millis(t0), children, "importing "
                            + String.join(", ", modules) + " killed the interpreter: " + killed.get("killed").asText(),
                            steps);
                }
                // the probe with PYTHON_GIL unset first
                c.probes().stream().filter(p -> p.path("pythonGil").isNull()).forEach(p -> probes.add(probe(p)));
                c.probes().stream().filter(p -> !p.path("pythonGil").isNull()).forEach(p -> probes.add(probe(p)));
            }
            if (c.ids() == null) {
                String why = "the harness child ended before collecting the tests (exit " + c.exitCode() + "):\n"
                        + c.fault();
                return new Report(ids == null ? List.of() : done.results(ids, threads), probes, collectErrors,
                        millis(t0), children, why, steps);
            }
            if (ids == null) {
                ids = c.ids();
                collectErrors.putAll(c.collectErrors());
                collection = Collection.of(c);
            }
            if (left == null) {
                left = c.plan();
            }
            if (left != null && !c.added().isEmpty()) {
                left = concat(left, c.added());
            }
            c.results().forEach(done::add);
            steps.addAll(c.results());
            if (!c.results().isEmpty()) {
                hangsInARow = 0;
            }
            if (c.finished()) {
                if (left == null || left.stream().noneMatch(st -> toRun(st, done))) {
                    break;
                }
                // the single runs of tests that failed concurrently: in a fresh child, as a plain pytest run has them,
                // not after their concurrent copies changed the process's state
                progress.report(left.stream().filter(st -> toRun(st, done)).count() + " test(s) that failed concurrently"
                        + " run alone in a fresh child");
                continue;
            }
            if (c.running() == null) {
                return new Report(done.results(ids, threads), probes, collectErrors, millis(t0), children,
                        "the harness child ended outside a test (exit " + c.exitCode() + "):\n" + c.fault(), steps,
                        collection);
            }
            if (c.timedOut() && millis(t0) >= suiteDeadline.toMillis()) {
                stopped = "the suite passed its deadline of " + suiteDeadline.toMinutes() + " min";
                progress.report(stopped + "; the rest is not run");
                break;
            }
            boolean hang = c.timedOut() || c.output().contains("Timeout (");
            // the sandbox's memory limit (lz4's test_huge allocates 4 GiB) is ftm's environment, not the project's
            // crash: the test is reported as not run to its end, on every build alike
            boolean memoryLimit = !hang && c.output().contains("ftm sandbox: killed: out of memory");
            String why = hang ? "passed its deadline of " + deadline.toMillis() / 1000.0 + " s; every thread's stack:\n"
                    : memoryLimit ? StepResults.MEMORY_LIMIT + ": " + c.output().lines()
                            .filter(l -> l.contains("out of memory")).findFirst().orElse("")
                    : "the interpreter died (" + c.signal() + "); faulthandler:\n";
            StepResults.Done killed = new StepResults.Done(c.running(), hang ? TestOutcome.HANG
                    : memoryLimit ? TestOutcome.SKIP : TestOutcome.CRASH, why + (memoryLimit ? "" : c.fault()), 0);
            done.add(killed);
            steps.add(killed);
            if (Step.PARALLEL.equals(c.running().phase()) && plan == null && left != null) {
                // does it crash or hang alone too? (a test that hangs on every build is the project's, not free-threading's)
                left = concat(left, List.of(Step.single(c.running().id())));
            }
            // (a test hanging concurrently and then alone is one test that hangs)
            hangsInARow = !hang ? 0 : c.running().id().equals(lastHung) ? hangsInARow : hangsInARow + 1;
            lastHung = hang ? c.running().id() : "";
            if (hangsInARow >= maxConsecutiveHangs) {
                stopped = hangsInARow + " tests in a row passed their deadline of " + deadline.toSeconds() + " s";
                progress.report("hang: " + c.running().id() + " — " + stopped + "; the rest is not run");
                break;
            }
            if (millis(t0) > suiteDeadline.toMillis()) {
                stopped = "the suite passed its deadline of " + suiteDeadline.toMinutes() + " min";
                progress.report(stopped + "; the rest is not run");
                break;
            }
            progress.report((hang ? "hang" : "crash") + ": " + c.running().id() + " — a new child runs the tests left");
        }
        String error = "";
        List<String> notRun = left == null ? List.of()
                : left.stream().filter(st -> toRun(st, done)).map(Step::id).distinct()
                        .filter(id -> !done.killedBy(id)).toList();
        if (!notRun.isEmpty() && stopped.isEmpty()) {
            stopped = "stopped after " + MAX_CHILDREN + " crashed or hung children";
        }
        if (!notRun.isEmpty()) {
            error = stopped + "; " + notRun.size() + " test(s) not run";
        }
        List<TestResult> tests = new ArrayList<>();
        collectErrors.forEach((id, text) -> tests.add(new TestResult(id, TestOutcome.ERROR, "collection failed:\n" + text, 0)));
        tests.addAll(done.results(ids, threads));
        Set<String> ran = new HashSet<>();
        tests.forEach(t -> ran.add(t.id()));
        for (String id : notRun) {
            if (ran.add(id)) {
                tests.add(new TestResult(id, TestOutcome.SKIP, "not run: " + stopped, 0));
            }
        }
        return new Report(tests, probes, collectErrors, millis(t0), children, error, steps, collection);
    }

    private ChildOptions options(Path events, boolean probeOnly, Path plan, boolean probeUnset) {
        return new ChildOptions(libpython, venv, project, events, work.resolve("driver"), modules, threads, deadline,
                iterations, singleOnly, probeOnly, plan, threadUnsafe, pytestArgs, this.plan != null,
                untilFailure, probeUnset);
    }

    private ChildRun runChild(String name, ChildOptions o, Map<String, String> childEnv) {
        int steps = o.plan() == null ? 1000 : 1 + Events.read(o.plan()).size();
        // a backstop for a child whose own deadline cannot fire: the per-step deadline acts first
        Duration backstop = deadline.multipliedBy(steps + 2).plusMinutes(2);
        if (backstop.compareTo(suiteDeadline.plusMinutes(2)) > 0) {
            backstop = suiteDeadline.plusMinutes(2);
        }
        // a long suite says how far it is, every half minute, from the child's event file
        Thread watcher = Thread.ofVirtual().name("ftm-harness-progress").start(() -> watch(o.events()));
        try {
            return ChildRun.run(processes, o, childEnv, project, work.resolve("harness-" + name + ".log"), backstop);
        } finally {
            watcher.interrupt();
        }
    }

    private void watch(Path events) {
        try {
            while (true) {
                Thread.sleep(PROGRESS_EVERY);
                if (!Files.exists(events)) {
                    continue;
                }
                int planned = 0;
                int done = 0;
                String last = "";
                for (String line : Files.readAllLines(events)) {
                    if (line.startsWith("{\"ev\":\"plan\"")) {
                        planned += Events.parse(line).path("steps").size();
                    } else if (line.startsWith("{\"ev\":\"added\"")) {
                        planned++;
                    } else if (line.startsWith("{\"ev\":\"result\"")) {
                        done++;
                    } else if (line.startsWith("{\"ev\":\"start\"")) {
                        last = Events.parse(line).path("id").asText();
                    }
                }
                if (planned > 0) {
                    progress.report(String.format(Locale.ROOT, "tests: %d of %d step(s) done (%s)", done,
                            planned, last));
                }
            }
        } catch (InterruptedException e) {
            // the child ended
        } catch (IOException | RuntimeException e) {
            // a partly written line, a file being replaced: the next look will do
        }
    }

    private static Probe probe(JsonNode ev) {
        if (ev == null) {
            return null;
        }
        Map<String, String> errors = new TreeMap<>();
        ev.get("errors").properties().forEach(e -> errors.put(e.getKey(), e.getValue().asText()));
        JsonNode after = ev.get("gilEnabledAfter");
        return new Probe(ev.get("pythonGil").isNull() ? null : ev.get("pythonGil").asText(),
                after == null || after.isNull() ? null : after.asBoolean(), ev.get("reenabledBy").asText(), errors);
    }

    private static void writePlan(Path file, List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            sb.append(Events.step("step", s)).append('\n');
        }
        try {
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where a child's time went: starting (JVM, interpreter, imports), collecting, the tests alone and concurrently;
     * the time of a step it died in counts as that step's phase; the rest (starting the process or its container,
     * ending the session) as {@code harness other}.
     */
    private void account(ChildRun c) {
        long start = c.collected() == null ? 0 : c.collected().path("startMillis").asLong(0);
        long collect = c.collected() == null ? 0 : c.collected().path("collectMillis").asLong(0);
        long alone = c.results().stream().filter(d -> Step.SINGLE.equals(d.step().phase()))
                .mapToLong(StepResults.Done::millis).sum();
        long together = c.results().stream().filter(d -> Step.PARALLEL.equals(d.step().phase()))
                .mapToLong(StepResults.Done::millis).sum();
        long rest = Math.max(0, c.wallMillis() - start - collect - alone - together);
        timings.add("harness start", start);
        timings.add("collection", collect);
        if (c.running() != null && Step.SINGLE.equals(c.running().phase())) {
            alone += rest;
            rest = 0;
        } else if (c.running() != null) {
            together += rest;
            rest = 0;
        }
        timings.add("tests alone", alone);
        timings.add("tests concurrently", together);
        timings.add("harness other", rest);
    }

    /** Wall time per phase of the children run so far (import probe, harness start, collection, tests, other). */
    public Map<String, Long> timings() {
        return timings.snapshot();
    }

    /** A step still to run: pending, and not a further run of a test that failed when one failure is enough. */
    private boolean toRun(Step s, StepResults done) {
        return done.pending(s) && !(untilFailure && done.failed(s.id()));
    }

    private static List<Step> concat(List<Step> a, List<Step> b) {
        List<Step> out = new ArrayList<>(a);
        b.stream().filter(s -> !out.contains(s)).forEach(out::add);
        return out;
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
