package dev.ftmatrix.testrunner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.testrunner.harness.ChildLauncher;
import dev.ftmatrix.testrunner.harness.ChildOptions;
import dev.ftmatrix.testrunner.harness.Events;
import dev.ftmatrix.testrunner.harness.Step;
import dev.ftmatrix.testrunner.harness.StepResults;
import dev.ftmatrix.toolchain.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a project's tests in the embedded interpreter of a child JVM ({@code ftm harness}): every test once
 * single-threaded, then each thread-safe test's body in N Java threads at once. A crash or a passed deadline ends
 * only that child; the next one runs the steps left. Use: {@code new Harness(libpython, venv, project, work)
 * .threads(2).call()}.
 */
public final class Harness {
    private static final int MAX_CHILDREN = 50;
    private static final Pattern FATAL = Pattern.compile("Fatal Python error: ([^\\n]+)");

    private final Path libpython;
    private final Path venv;
    private final Path project;
    private final Path work;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int iterations = 1;
    private Duration deadline = Duration.ofSeconds(60);
    private boolean singleOnly;
    private boolean probeGilUnset;
    private List<String> modules = List.of();
    private List<String> pytestArgs = List.of();
    private List<String> threadUnsafe = List.of();
    private Map<String, String> env = Map.of();
    private Progress progress = Progress.NONE;

    public Harness(Path libpython, Path venv, Path project, Path work) {
        this.libpython = libpython;
        this.venv = venv;
        this.project = project;
        this.work = work;
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

    /** Only the single-threaded phase: the baseline on a build with the GIL. */
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
                         int children, String error, List<StepResults.Done> steps) {
        public Report {
            tests = List.copyOf(tests);
            steps = List.copyOf(steps);
            probes = List.copyOf(probes);
            collectErrors = Map.copyOf(collectErrors);
        }
    }

    public Report call() {
        long t0 = System.nanoTime();
        mkdirs(work);
        List<Probe> probes = new ArrayList<>();
        List<StepResults.Done> steps = new ArrayList<>();
        int children = 0;
        if (probeGilUnset) {
            Map<String, String> unset = new HashMap<>(env);
            unset.put("PYTHON_GIL", null);
            Child probe = runChild("probe", options(work.resolve("events-probe.jsonl"), true, null), unset);
            children++;
            if (probe.probe == null) {
                return new Report(List.of(), probes, Map.of(), millis(t0), children,
                        "importing " + String.join(", ", modules) + " killed the interpreter: " + fault(probe.output), steps);
            }
            probes.add(probe.probe);
        }
        StepResults done = new StepResults();
        List<String> ids = null;
        Map<String, String> collectErrors = new TreeMap<>();
        List<Step> left = null;
        for (int attempt = 0; attempt < MAX_CHILDREN; attempt++) {
            Path planFile = null;
            if (left != null) {
                left = left.stream().filter(s -> !done.has(s) && !done.killedBy(s.id())).toList();
                if (left.isEmpty()) {
                    break;
                }
                planFile = work.resolve("plan-" + attempt + ".jsonl");
                writePlan(planFile, left);
            }
            Child c = runChild("tests-" + attempt, options(work.resolve("events-" + attempt + ".jsonl"), false, planFile), env);
            children++;
            if (attempt == 0 && c.probe != null) {
                probes.add(c.probe);
            }
            if (c.ids == null) {
                return new Report(List.of(), probes, collectErrors, millis(t0), children, "the harness child ended"
                        + " before collecting the tests (exit " + c.exitCode + "):\n" + fault(c.output), steps);
            }
            if (ids == null) {
                ids = c.ids;
                collectErrors.putAll(c.collectErrors);
            }
            if (left == null) {
                left = c.plan;
            }
            c.results.forEach(done::add);
            steps.addAll(c.results);
            if (c.finished) {
                break;
            }
            if (c.running == null) {
                return new Report(done.results(ids, threads), probes, collectErrors, millis(t0), children,
                        "the harness child ended outside a test (exit " + c.exitCode + "):\n" + fault(c.output), steps);
            }
            boolean hang = c.timedOut || c.output.contains("Timeout (");
            String why = hang ? "passed its deadline of " + deadline.toMillis() / 1000.0 + " s; every thread's stack:\n"
                    : "the interpreter died (" + signal(c.output, c.exitCode) + "); faulthandler:\n";
            StepResults.Done killed = new StepResults.Done(c.running, hang ? TestOutcome.HANG : TestOutcome.CRASH,
                    why + fault(c.output), 0);
            done.add(killed);
            steps.add(killed);
            progress.report((hang ? "hang" : "crash") + ": " + c.running.id() + " — a new child runs the tests left");
        }
        List<TestResult> tests = new ArrayList<>();
        collectErrors.forEach((id, text) -> tests.add(new TestResult(id, TestOutcome.ERROR, "collection failed:\n" + text, 0)));
        tests.addAll(done.results(ids, threads));
        return new Report(tests, probes, collectErrors, millis(t0), children, "", steps);
    }

    private ChildOptions options(Path events, boolean probeOnly, Path plan) {
        return new ChildOptions(libpython, venv, project, events, work.resolve("driver"), modules, threads, deadline,
                iterations, singleOnly, probeOnly, plan, threadUnsafe, pytestArgs);
    }

    /** What one child left behind. */
    private record Child(Probe probe, List<String> ids, Map<String, String> collectErrors, List<Step> plan,
                         List<StepResults.Done> results, Step running, boolean finished, int exitCode, boolean timedOut,
                         String output) {
    }

    private Child runChild(String name, ChildOptions o, Map<String, String> childEnv) {
        deleteIfExists(o.events());
        List<String> cmd = ChildLauncher.command(o, work);
        int steps = o.plan() == null ? 1000 : 1 + (int) Events.read(o.plan()).size();
        // a backstop for a child whose own deadline cannot fire: the per-step deadline acts first
        Duration wall = deadline.multipliedBy(steps + 2).plusMinutes(2);
        Processes.Run run = Processes.run(cmd, project, ChildLauncher.environment(childEnv),
                work.resolve("harness-" + name + ".log"), l -> { }, wall);
        Probe probe = null;
        List<String> ids = null;
        Map<String, String> collectErrors = new LinkedHashMap<>();
        List<Step> plan = null;
        List<StepResults.Done> results = new ArrayList<>();
        Step running = null;
        boolean finished = false;
        for (JsonNode ev : Events.read(o.events())) {
            switch (ev.get("ev").asText()) {
                case "probe" -> {
                    Map<String, String> errors = new TreeMap<>();
                    ev.get("errors").properties().forEach(e -> errors.put(e.getKey(), e.getValue().asText()));
                    JsonNode after = ev.get("gilEnabledAfter");
                    probe = new Probe(ev.get("pythonGil").isNull() ? null : ev.get("pythonGil").asText(),
                            after == null || after.isNull() ? null : after.asBoolean(), ev.get("reenabledBy").asText(), errors);
                }
                case "collected" -> {
                    ids = new ArrayList<>();
                    for (JsonNode id : ev.get("ids")) {
                        ids.add(id.asText());
                    }
                    ev.get("collectErrors").properties().forEach(e -> collectErrors.put(e.getKey(), e.getValue().asText()));
                }
                case "plan" -> {
                    plan = new ArrayList<>();
                    for (JsonNode s : ev.get("steps")) {
                        plan.add(new Step(s.get("phase").asText(), s.get("id").asText(), s.get("iteration").asInt()));
                    }
                }
                case "start" -> running = new Step(ev.get("phase").asText(), ev.get("id").asText(), ev.get("iteration").asInt());
                case "result" -> {
                    Step s = new Step(ev.get("phase").asText(), ev.get("id").asText(), ev.get("iteration").asInt());
                    results.add(new StepResults.Done(s, TestOutcome.valueOf(ev.get("outcome").asText().toUpperCase(java.util.Locale.ROOT)),
                            ev.get("message").asText(), ev.get("millis").asLong()));
                    running = null;
                }
                case "done" -> finished = true;
                default -> { }
            }
        }
        return new Child(probe, ids, collectErrors, plan, results, running, finished, run.exitCode(), run.timedOut(), run.output());
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

    /** The signal named by faulthandler ("Segmentation fault") or, failing that, by the exit code. */
    static String signal(String output, int exit) {
        Matcher m = FATAL.matcher(output);
        if (m.find()) {
            return m.group(1).trim();
        }
        return exit > 128 ? "signal " + (exit - 128) : "exit code " + exit;
    }

    /** The faulthandler part of a child's output, bounded. */
    static String fault(String output) {
        int i = output.indexOf("Fatal Python error");
        if (i < 0) {
            i = output.indexOf("Timeout (");
        }
        String s = i < 0 ? output : output.substring(i);
        int jvm = s.indexOf("\n#\n# A fatal error has been detected by the Java Runtime Environment");
        if (jvm > 0) {
            s = s.substring(0, jvm);   // the JVM's own crash banner after faulthandler's says nothing about Python
        }
        return s.length() > 8000 ? s.substring(0, 8000) + "\n..." : s;
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

    private static void deleteIfExists(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
