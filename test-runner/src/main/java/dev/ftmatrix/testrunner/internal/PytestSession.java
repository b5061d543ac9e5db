package dev.ftmatrix.testrunner.internal;

import dev.ftmatrix.builder.Venv;
import dev.ftmatrix.builder.StepFailed;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.testrunner.harness.Events;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a project's pytest suite in a child interpreter with a plugin that logs each test's start and result to a
 * file. When the child dies (a crash) or passes a test's deadline (a hang: faulthandler dumps every thread), the
 * test it was running gets that outcome and a new child runs the tests that are left.
 */
public final class PytestSession {
    private static final int MAX_RESTARTS = 50;

    private final Venv venv;
    private final Path projectDir;
    private final Path work;
    private final List<String> args;
    private final Map<String, String> extraEnv;
    private final Duration testDeadline;
    private final Progress progress;

    public PytestSession(Venv venv, Path projectDir, Path work, List<String> args, Map<String, String> extraEnv,
                         Duration testDeadline, Progress progress) {
        this.venv = venv;
        this.projectDir = projectDir;
        this.work = work;
        this.args = List.copyOf(args);
        this.extraEnv = extraEnv;
        this.testDeadline = testDeadline;
        this.progress = progress;
    }

    public List<TestResult> call() throws StepFailed {
        Path pluginDir = work.resolve("plugin");
        copyResource("ftm_pytest_plugin.py", pluginDir);
        Map<String, TestResult> results = new LinkedHashMap<>();
        Set<String> collected = null;
        for (int attempt = 0; attempt <= MAX_RESTARTS; attempt++) {
            Path events = work.resolve("events-" + attempt + ".jsonl");
            Map<String, String> env = new LinkedHashMap<>(venv.env());
            env.putAll(extraEnv);
            env.put("PYTHONPATH", pluginDir.toString());
            Path faults = work.resolve("faults-" + attempt + ".txt");
            env.put("FTM_EVENTS", events.toString());
            env.put("FTM_FAULTS", faults.toString());
            env.put("FTM_DEADLINE", Long.toString(testDeadline.toSeconds()));
            if (collected != null) {
                Path select = work.resolve("select-" + attempt + ".txt");
                List<String> left = collected.stream().filter(id -> !results.containsKey(id)).toList();
                if (left.isEmpty()) {
                    break;
                }
                write(select, String.join("\n", left) + "\n");
                env.put("FTM_SELECT", select.toString());
            }
            List<String> cmd = new ArrayList<>(List.of(venv.python().toString(), "-P", "-m", "pytest", "-p",
                    "ftm_pytest_plugin", "-p", "no:cacheprovider", "-p", "no:faulthandler", "--import-mode=importlib", "-q", "-rN"));
            cmd.addAll(args);
            // backstop for a child whose faulthandler cannot fire: generous, the per-test deadline acts first
            Duration wall = testDeadline.multipliedBy(Math.max(4, collected == null ? 4 : collected.size() + 2));
            Processes.Run run = venv.run(cmd, projectDir, env, work.resolve("pytest.log"), wall);
            String started = null;
            for (JsonNode ev : Events.read(events)) {
                switch (ev.get("ev").asText()) {
                    case "collected" -> {
                        if (collected == null) {
                            collected = new LinkedHashSet<>();
                            for (JsonNode id : ev.get("ids")) {
                                collected.add(id.asText());
                            }
                        }
                    }
                    case "start" -> started = ev.get("id").asText();
                    case "result" -> {
                        String id = ev.get("id").asText();
                        results.put(id, new TestResult(id, outcome(ev.get("outcome").asText()),
                                ev.get("message").asText(), 0));
                        if (id.equals(started)) {
                            started = null;
                        }
                    }
                    default -> { }
                }
            }
            if (collected == null) {
                throw new StepFailed("pytest did not collect the tests (exit " + run.exitCode() + ")", run);
            }
            if (started == null) {
                if (run.exitCode() <= 1 || run.exitCode() == 5) {
                    break;   // 0 all passed, 1 some failed, 5 nothing collected
                }
                throw new StepFailed("pytest ended with exit code " + run.exitCode() + " outside any test", run);
            }
            String fault = readFaults(faults);
            boolean hang = run.timedOut() || fault.startsWith("Timeout (");
            TestOutcome o = hang ? TestOutcome.HANG : TestOutcome.CRASH;
            String why = hang ? "passed its deadline of " + testDeadline.toSeconds() + " s; every thread's stack:\n"
                    : "the interpreter died (" + signal(run.exitCode()) + "); faulthandler:\n";
            results.put(started, new TestResult(started, o, why + (fault.isEmpty() ? run.tail(40) : fault), 0));
            progress.report(o.word() + ": " + started + " — restarting for the remaining tests");
        }
        List<TestResult> ordered = new ArrayList<>();
        if (collected != null) {
            for (String id : collected) {
                if (results.containsKey(id)) {
                    ordered.add(results.get(id));
                }
            }
        }
        return ordered;
    }

    private static TestOutcome outcome(String word) {
        return TestOutcome.valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static String signal(int exit) {
        return switch (exit) {
            case 134 -> "SIGABRT";
            case 135 -> "SIGBUS";
            case 136 -> "SIGFPE";
            case 137 -> "SIGKILL";
            case 139 -> "SIGSEGV";
            default -> exit > 128 ? "signal " + (exit - 128) : "exit code " + exit;
        };
    }

    /** What faulthandler wrote, bounded. */
    private static String readFaults(Path faults) {
        try {
            String s = Files.exists(faults) ? Files.readString(faults).strip() : "";
            return s.length() > 8000 ? s.substring(0, 8000) + "\n..." : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyResource(String name, Path dir) {
        try (InputStream in = PytestSession.class.getResourceAsStream("/dev/ftmatrix/testrunner/" + name)) {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
