package dev.ftmatrix.testrunner.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.testrunner.HarnessFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One harness child JVM run to its end, and what its event file says it did.
 *
 * @param probes the {@code probe} events: the child's own import, and the one with {@code PYTHON_GIL} unset (its
 *     {@code pythonGil} null; {@code killed} says how a probe that killed its interpreter ended)
 * @param collected the {@code collected} event (thread-unsafe tests with reasons, dropped options), null if none
 * @param ids the collected test ids, null if collection never finished
 * @param plan the steps it planned (or was given), null if it never got there
 * @param added the steps it added to its plan as it went (a single-threaded run after a concurrent failure)
 * @param results the steps it finished
 * @param running the step it started and never finished: the one that crashed or hung; null if none
 * @param finished whether it wrote its {@code done} event
 * @param wallMillis the child's wall time, as its parent saw it
 */
public record ChildRun(List<JsonNode> probes, JsonNode collected, List<String> ids, Map<String, String> collectErrors, List<Step> plan,
                       List<Step> added, List<StepResults.Done> results, Step running, boolean finished, int exitCode, boolean timedOut,
                       String output, long wallMillis) {
    private static final Pattern FATAL = Pattern.compile("Fatal Python error: ([^\\n]+)");

    /** Starts the child with {@code options}, waits for it (at most {@code backstop}) and reads its events. */
    public static ChildRun run(ChildOptions options, Map<String, String> env, Path cwd, Path log, Duration backstop) {
        return run(ChildProcesses.LOCAL, options, env, cwd, log, backstop);
    }

    /** Like {@link #run(ChildOptions, Map, Path, Path, Duration)}, the child started by {@code processes}. */
    public static ChildRun run(ChildProcesses processes, ChildOptions options, Map<String, String> env, Path cwd,
                               Path log, Duration backstop) {
        try {
            Files.deleteIfExists(options.events());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = ChildLauncher.command(options, log.getParent());
        Processes.Run run = processes.run(command, cwd, ChildLauncher.environment(env), log, backstop);
        ChildLauncher.adoptAotCache(command);
        List<JsonNode> probes = new ArrayList<>();
        JsonNode collected = null;
        List<String> ids = null;
        Map<String, String> collectErrors = new LinkedHashMap<>();
        List<Step> plan = null;
        List<Step> added = new ArrayList<>();
        List<StepResults.Done> results = new ArrayList<>();
        Step running = null;
        boolean finished = false;
        for (JsonNode ev : Events.read(options.events())) {
            switch (ev.get("ev").asText()) {
                case "probe" -> probes.add(ev);
                case "collected" -> {
                    collected = ev;
                    ids = new ArrayList<>();
                    for (JsonNode id : ev.get("ids")) {
                        ids.add(id.asText());
                    }
                    ev.get("collectErrors").properties().forEach(e -> collectErrors.put(e.getKey(), e.getValue().asText()));
                }
                case "plan" -> {
                    plan = new ArrayList<>();
                    for (JsonNode s : ev.get("steps")) {
                        plan.add(Events.stepOf(s));
                    }
                }
                case "added" -> added.add(Events.stepOf(ev));
                case "start" -> running = Events.stepOf(ev);
                case "result" -> {
                    results.add(new StepResults.Done(Events.stepOf(ev),
                            TestOutcome.valueOf(ev.get("outcome").asText().toUpperCase(Locale.ROOT)),
                            ev.get("message").asText(), ev.get("millis").asLong()));
                    running = null;
                }
                case "done" -> finished = true;
                case "failure" -> throw new HarnessFailure("the harness child failed: " + ev.path("message").asText()
                        + (running == null ? "" : " (while running " + running.id() + ")"));
                default -> { }
            }
        }
        if (run.exitCode() == 3 && run.output().contains("Terminating due to java.lang.OutOfMemoryError")) {
            throw new HarnessFailure("the harness child JVM ran out of its " + ChildLauncher.HEAP + " Java heap"
                    + (running == null ? "" : " while running " + running.id()) + ": ftm's limit, not the project's");
        }
        return new ChildRun(probes, collected, ids, collectErrors, plan, added, results, running, finished, run.exitCode(), run.timedOut(),
                run.output(), run.millis());
    }

    /** The signal named by faulthandler ("Segmentation fault") or, failing that, by the exit code. */
    public String signal() {
        Matcher m = FATAL.matcher(output);
        if (m.find()) {
            return m.group(1).trim();
        }
        return exitCode > 128 ? "signal " + (exitCode - 128) : "exit code " + exitCode;
    }

    /** The faulthandler part of the output, bounded; all of it when faulthandler said nothing. */
    public String fault() {
        int i = output.indexOf("Fatal Python error");
        if (i < 0) {
            i = output.indexOf("Timeout (");
        }
        String s = i < 0 ? output : output.substring(i);
        int jvm = s.indexOf("\n#\n# A fatal error has been detected by the Java Runtime Environment");
        if (jvm > 0) {
            s = s.substring(0, jvm);   // the JVM's crash banner after faulthandler's says nothing about Python
        }
        return s.length() > 8000 ? s.substring(0, 8000) + "\n..." : s;
    }
}
