package dev.ftmatrix.testrunner.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ftmatrix.builder.ImportProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The harness child: embeds the interpreter, probes the GIL on import, collects the tests with the driver and runs
 * the plan's steps, logging each to the event file. A crash or a passed deadline ends this process; the parent then
 * starts another one for the steps left. Started as {@code ftm harness ...} or as this class's {@code main}.
 */
public final class ChildMain {
    private static final String[] RESOURCES = {"ftm_harness_driver.py", "ftm_pytest_plugin.py", "ftm_pytest_config.py",
            "ftm_reference.py"};

    private final ChildOptions options;
    private final Events events;
    /** Per test, a {@code parallel_threads_limit(n)} below the threads asked for. */
    private final Map<String, Integer> limits = new HashMap<>();
    private Python py;

    private ChildMain(ChildOptions options, Events events) {
        this.options = options;
        this.events = events;
    }

    public static void main(String[] args) {
        System.exit(run(ChildOptions.parse(List.of(args))));
    }

    /** Runs the child to its end; returns the exit code (0 also when tests failed: failures are in the events). */
    public static int run(ChildOptions options) {
        ParentWatch.exitWithParent();
        try (Events events = Events.appendTo(options.events())) {
            try {
                new ChildMain(options, events).call();
            } catch (RuntimeException e) {
                // ftm's own code failed (the driver broke its promise to return a value, a bad plan): said as such,
                // never taken for a crash of the test that was running
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                events.write(Events.event("failure").put("message", e.toString()).put("trace", trace.toString()));
                throw e;
            }
        }
        return 0;
    }

    private void call() {
        // where the start-up time goes (JVM uptime in ms at each point), for the run's timings and ftm bench
        Map<String, Long> startup = new LinkedHashMap<>();
        startup.put("jvm", uptime());
        copyResources(options.work());
        // the import probe with PYTHON_GIL unset runs in a python of its own, alongside this JVM's start
        Process unsetProbe = options.probeGilUnset() ? startUnsetProbe() : null;
        py = Python.start(options.libpython(), options.venv().resolve("bin/python"));
        startup.put("interpreter", uptime());
        // no Py_FinalizeEx at the end: a test may leave threads running that finalisation would wait for; the
        // process ends right after the last event
        py.eval("__import__('sys').path.insert(0, d)", Map.of("d", options.work().toString()));
        probe();
        startup.put("import", uptime());
        if (unsetProbe != null && !unsetProbe(unsetProbe)) {
            return;   // importing with PYTHON_GIL unset killed that interpreter: said in the probe event
        }
        startup.put("import with PYTHON_GIL unset", uptime());
        if (options.probeOnly()) {
            events.write(Events.event("done"));
            return;
        }
        py.exec("import ftm_harness_driver as _ftm");
        startup.put("pytest", uptime());
        // how long this child took to get here (JVM, interpreter, imports) and to collect: the run's timings
        long started = uptime();
        long collecting = System.nanoTime();
        JsonNode collected = Events.parse(py.eval("_ftm.start(root, args, d)", Map.of(
                "root", options.project().toAbsolutePath().toString(),
                "args", Events.json(options.pytestArgs()), "d", Double.toString(startDeadlineSeconds()))));
        ObjectNode ev = Events.event("collected");
        ev.setAll((ObjectNode) collected);
        ev.put("startMillis", started).put("collectMillis", (System.nanoTime() - collecting) / 1_000_000);
        ObjectNode at = ev.putObject("startup");
        startup.forEach(at::put);
        events.write(ev);
        collected.path("threadLimits").properties().forEach(e -> limits.put(e.getKey(), e.getValue().asInt()));
        List<Step> plan = new ArrayList<>(options.plan() != null ? readPlan(options.plan()) : plan(collected));
        ArrayNode steps = Events.JSON.createArrayNode();
        plan.forEach(s -> steps.add(Events.step("step", s)));
        events.write(Events.event("plan").set("steps", steps));
        // pytest's own thread runs the plan step after step, writing each step's events, with no call into Java
        // between tests; the bodies of concurrent steps run in `threads` Java threads, each attached to the
        // interpreter for the whole plan (serve), so a concurrent test costs a hand-over to waiting threads, as
        // pytest-run-parallel's costs starting its own
        // test bodies get the stack of a Python thread (8 MiB, the pthread default), not a Java thread's 1 MiB:
        // deep recursion must fail as it does under python, not overflow
        ThreadFactory threads = Thread.ofPlatform().name("ftm-test-", 0).stackSize(8L << 20).factory();
        ObjectNode opts = Events.JSON.createObjectNode().put("events", options.events().toAbsolutePath().toString())
                .put("threads", options.threads()).put("deadline", Double.parseDouble(seconds()))
                .put("untilFailure", options.untilFailure()).put("confirmOnly", options.confirmOnly());
        ObjectNode lim = opts.putObject("limits");
        limits.forEach(lim::put);
        try (ExecutorService pool = Executors.newFixedThreadPool(options.threads(), threads)) {
            List<Future<String>> servers = new ArrayList<>();
            for (int t = 0; t < options.threads(); t++) {
                servers.add(pool.submit(() -> py.eval("_ftm.serve()", Map.of())));
            }
            try {
                py.eval("_ftm.run_plan(p, o)", Map.of("p", steps.toString(), "o", opts.toString()));
            } finally {
                py.eval("_ftm.stop_serving(n)", Map.of("n", Integer.toString(options.threads())));
            }
            for (Future<String> f : servers) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running the plan", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the driver failed serving test bodies: " + e.getCause(), e.getCause());
                }
            }
        }
        long planned = uptime();
        py.eval("_ftm.finish(d)", Map.of("d", seconds()));
        // the JVM's uptime at the end of the plan and at the end of the session: how long the session's end took
        events.write(Events.event("done").put("planEnd", planned).put("uptime", uptime()));
    }

    private void probe() {
        String gil = System.getenv("PYTHON_GIL");
        // a module that deadlocks on import ends the child like a hung test: stacks dumped, process gone
        py.eval("__import__('faulthandler').dump_traceback_later(float(d), exit=True)",
                Map.of("d", Double.toString(startDeadlineSeconds())));
        JsonNode p = Events.parse(py.eval(
                "__import__('json').dumps(__import__('import_probe').probe([n for n in names.split(',') if n]))",
                Map.of("names", String.join(",", options.modules()))));
        py.eval("__import__('faulthandler').cancel_dump_traceback_later()", Map.of());
        ObjectNode ev = Events.event("probe");
        ev.put("pythonGil", gil);
        ev.setAll((ObjectNode) p);
        events.write(ev);
    }

    private static long uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    private Process startUnsetProbe() {
        List<String> argv = new ArrayList<>(List.of(options.venv().resolve("bin/python").toString(),
                options.work().resolve("import_probe.py").toString()));
        argv.addAll(options.modules());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(options.work().toFile()).redirectErrorStream(true)
                .redirectOutput(options.work().resolve("probe-gil-unset.out").toFile());
        pb.environment().remove("PYTHON_GIL");
        pb.environment().remove("LD_PRELOAD");   // libjsig is for this JVM
        pb.environment().remove("FTM_SIGNAL_CHAINING");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the import probe " + argv, e);
        }
    }

    /**
     * Waits for the probe with {@code PYTHON_GIL} unset and writes its event ({@code pythonGil} null); false when it
     * did not come back with a result (the import killed the interpreter, or hung): the event then says how.
     */
    private boolean unsetProbe(Process p) {
        ObjectNode ev = Events.event("probe");
        ev.putNull("pythonGil");
        try {
            boolean ended = p.waitFor((long) startDeadlineSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(options.work().resolve("probe-gil-unset.out"));
            String line = out.lines().filter(l -> l.startsWith("FTM-IMPORT ")).reduce((a, b) -> b).orElse(null);
            if (!ended || p.exitValue() != 0 || line == null) {
                int code = ended ? p.exitValue() : -1;
                String how = !ended ? "it passed its deadline of " + (long) startDeadlineSeconds() + " s"
                        : code > 128 ? "signal " + (code - 128) : code < 0 ? "signal " + -code : "exit code " + code;
                ev.put("killed", how + "\n" + (out.length() > 8000 ? out.substring(out.length() - 8000) : out));
                events.write(ev);
                return false;
            }
            ev.setAll((ObjectNode) Events.parse(line.substring("FTM-IMPORT ".length())));
            events.write(ev);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the import probe", e);
        }
    }

    /**
     * Each test runs once, as pytest-run-parallel runs it: a thread-safe test by N threads at once (once per
     * iteration), a thread-unsafe one single-threaded. A test that fails concurrently is run alone afterwards (the
     * driver's run_plan adds that step), so only a failing test costs a second run.
     */
    private List<Step> plan(JsonNode collected) {
        List<Step> plan = new ArrayList<>();
        Set<String> unsafe = new HashSet<>(options.threadUnsafe());
        collected.get("threadUnsafe").fieldNames().forEachRemaining(unsafe::add);
        List<String> ids = new ArrayList<>();
        collected.get("ids").forEach(n -> ids.add(n.asText()));
        for (int k = 1; k <= (options.singleOnly() ? 1 : options.iterations()); k++) {
            for (String id : ids) {
                if (options.singleOnly() || unsafe.contains(id)) {
                    if (k == 1) {
                        plan.add(Step.single(id));
                    }
                } else {
                    plan.add(Step.parallel(id, k));
                }
            }
        }
        return plan;
    }

    /** Importing and collecting may take longer than one test: at least two minutes. */
    private double startDeadlineSeconds() {
        return Math.max(120, options.deadline().toSeconds());
    }

    private String seconds() {
        return Double.toString(options.deadline().toMillis() / 1000.0);
    }

    private static List<Step> readPlan(Path file) {
        return Events.read(file).stream().map(Events::stepOf).toList();
    }

    /** Writes the Python side (driver, plugins, probe, reference plugin) into {@code dir}. */
    public static void copyResources(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : RESOURCES) {
                try (InputStream in = ChildMain.class.getResourceAsStream("/dev/ftmatrix/testrunner/" + name)) {
                    Files.write(dir.resolve(name), in.readAllBytes());
                }
            }
            ImportProbe.script(dir);   // the import probe: one script with the check of published wheels
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
