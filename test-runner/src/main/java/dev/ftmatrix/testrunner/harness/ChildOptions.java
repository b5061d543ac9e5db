package dev.ftmatrix.testrunner.harness;

import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.UserInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one harness child ({@code ftm harness ...}) does: the parent writes these as arguments, the child parses them.
 *
 * @param venv the virtual environment holding the built wheel and pytest; the interpreter starts as its {@code bin/python}
 * @param events the file the child appends one JSON line per event to
 * @param work a directory for the driver's files
 * @param modules the project's extension modules, imported by the probe
 * @param threads how many Java threads run each test's body at once in the parallel phase
 * @param deadline how long one step (a test, single or parallel) may take before the child dumps its stacks and ends
 * @param iterations how many times the parallel phase runs (for a flakiness rate)
 * @param singleOnly run only the single-threaded phase (the baseline on a build with the GIL)
 * @param probeOnly only import the modules and report the GIL, then end
 * @param plan a file of the steps left (JSON lines) after a crashed or hung child; null: plan from the collected tests
 * @param threadUnsafe test ids to run single-threaded only, besides those marked {@code thread_unsafe}
 * @param pytestArgs pytest arguments (test paths, {@code -k}, ...); empty: pytest's own discovery
 * @param confirmOnly the plan is confirmation runs of tests that already ran: a concurrent failure is not followed by
 *     a single-threaded run of the test
 * @param untilFailure a test's remaining steps are dropped at its first failure (one failure is the evidence sought)
 * @param probeGilUnset also import the modules with {@code PYTHON_GIL} unset, in a python process of their own started
 *     alongside this one: does a module turn the GIL on?
 */
public record ChildOptions(Path libpython, Path venv, Path project, Path events, Path work, List<String> modules,
                           int threads, Duration deadline, int iterations, boolean singleOnly, boolean probeOnly,
                           Path plan, List<String> threadUnsafe, List<String> pytestArgs, boolean confirmOnly,
                           boolean untilFailure, boolean probeGilUnset) {
    public ChildOptions {
        modules = List.copyOf(modules);
        threadUnsafe = List.copyOf(threadUnsafe);
        pytestArgs = List.copyOf(pytestArgs);
        if (threads < 1 || iterations < 1) {
            throw new UserInputException("--threads and --iterations must be at least 1, not " + threads + " and " + iterations);
        }
    }

    /** The command-line form that {@link #parse} reads back. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--libpython", libpython.toString(), "--venv", venv.toString(),
                "--project", project.toString(), "--events", events.toString(), "--work", work.toString(),
                "--threads", Integer.toString(threads), "--deadline", Long.toString(deadline.toMillis()) + "ms",
                "--iterations", Integer.toString(iterations)));
        modules.forEach(m -> a.addAll(List.of("--module", m)));
        threadUnsafe.forEach(t -> a.addAll(List.of("--thread-unsafe", t)));
        if (singleOnly) {
            a.add("--single-only");
        }
        if (probeOnly) {
            a.add("--probe-only");
        }
        if (plan != null) {
            a.addAll(List.of("--plan", plan.toString()));
        }
        if (confirmOnly) {
            a.add("--confirm-only");
        }
        if (untilFailure) {
            a.add("--until-failure");
        }
        if (probeGilUnset) {
            a.add("--probe-gil-unset");
        }
        pytestArgs.forEach(p -> a.add("--pytest-arg=" + p));
        return a;
    }

    /** Parses what {@link #toArgs} wrote; {@code 30s}, {@code 500ms} or plain seconds for the deadline. */
    public static ChildOptions parse(List<String> args) {
        Path lib = null;
        Path venv = null;
        Path project = null;
        Path events = null;
        Path work = null;
        Path plan = null;
        int threads = TestOptions.defaultThreads();
        int iterations = TestOptions.DEFAULT_ITERATIONS;
        Duration deadline = TestOptions.DEFAULT_TEST_DEADLINE;
        boolean single = false;
        boolean probe = false;
        boolean confirm = false;
        boolean untilFailure = false;
        boolean probeUnset = false;
        List<String> modules = new ArrayList<>();
        List<String> unsafe = new ArrayList<>();
        List<String> pytest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--pytest-arg=")) {
                pytest.add(a.substring("--pytest-arg=".length()));
                continue;
            }
            switch (a) {
                case "--single-only" -> single = true;
                case "--probe-only" -> probe = true;
                case "--confirm-only" -> confirm = true;
                case "--until-failure" -> untilFailure = true;
                case "--probe-gil-unset" -> probeUnset = true;
                default -> {
                    if (i + 1 >= args.size()) {
                        throw new UserInputException("ftm harness: " + a + " needs a value (or is unknown)");
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--libpython" -> lib = Path.of(v);
                        case "--venv" -> venv = Path.of(v);
                        case "--project" -> project = Path.of(v);
                        case "--events" -> events = Path.of(v);
                        case "--work" -> work = Path.of(v);
                        case "--plan" -> plan = Path.of(v);
                        case "--threads" -> threads = Integer.parseInt(v);
                        case "--iterations" -> iterations = Integer.parseInt(v);
                        case "--deadline" -> deadline = duration(v);
                        case "--module" -> modules.add(v);
                        case "--thread-unsafe" -> unsafe.add(v);
                        case "--pytest-arg" -> pytest.add(v);
                        default -> throw new UserInputException("ftm harness: unknown option " + a);
                    }
                }
            }
        }
        if (lib == null || venv == null || project == null || events == null) {
            throw new UserInputException("ftm harness needs --libpython, --venv, --project and --events");
        }
        return new ChildOptions(lib, venv, project, events, work != null ? work : events.toAbsolutePath().getParent(),
                modules, threads, deadline, iterations, single, probe, plan, unsafe, pytest, confirm,
                untilFailure, probeUnset);
    }

    /** {@code 30s}, {@code 500ms} or plain seconds; a user error otherwise. */
    public static Duration duration(String v) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v) * 1000));
        } catch (NumberFormatException e) {
            throw new UserInputException("ftm harness: --deadline " + v + " is not a duration (30s, 500ms)");
        }
    }
}
