package dev.ftmatrix.service;

import dev.ftmatrix.testrunner.HarnessChild;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ftm harness ...}: the child process of the FFM test harness. The parent ({@code ftm check}, {@code ftm run})
 * starts it; it is a command of its own so that a sandbox can run it too.
 */
@Command(name = "harness", mixinStandardHelpOptions = true,
        description = {"Run a project's tests in an embedded interpreter (libpython through java.lang.foreign):"
                + " import probe, every test once single-threaded, then each test's body in N Java threads at once.",
                "Writes one JSON line per event to --events; a crash or a passed --deadline ends the process"
                        + " (the parent restarts it with --plan for the steps left)."})
final class HarnessCommand implements Callable<Integer> {
    @Option(names = "--libpython", required = true, paramLabel = "FILE", description = "libpython3.X[t].so of the toolchain")
    Path libpython;

    @Option(names = "--venv", required = true, paramLabel = "DIR", description = "venv with the built wheel and pytest")
    Path venv;

    @Option(names = "--project", required = true, paramLabel = "DIR", description = "the project's root (pytest's rootdir)")
    Path project;

    @Option(names = "--events", required = true, paramLabel = "FILE", description = "the event log to append to")
    Path events;

    @Option(names = "--work", paramLabel = "DIR", description = "directory for the driver's files (default: beside --events)")
    Path work;

    @Option(names = "--module", paramLabel = "NAME", description = "an extension module to import in the probe (repeatable)")
    List<String> modules = new ArrayList<>();

    @Option(names = "--threads", defaultValue = "0", description = "Java threads per test in the parallel phase (default: the cores)")
    int threads;

    @Option(names = "--deadline", defaultValue = "60s", description = "per step: 30s, 500ms. Default: ${DEFAULT-VALUE}")
    String deadline;

    @Option(names = "--iterations", defaultValue = "1", description = "parallel runs per test, for a flakiness rate. Default: ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--single-only", description = "every test single-threaded only, none concurrently")
    boolean singleOnly;

    @Option(names = "--probe-only", description = "only import the modules and report the GIL")
    boolean probeOnly;

    @Option(names = "--plan", paramLabel = "FILE", description = "the steps to run (JSON lines), instead of all collected tests")
    Path plan;

    @Option(names = "--confirm-only", description = "the plan is confirmation runs: no single-threaded run follows a"
            + " concurrent failure")
    boolean confirmOnly;

    @Option(names = "--until-failure", description = "drop a test's remaining steps at its first failure")
    boolean untilFailure;

    @Option(names = "--probe-gil-unset", description = "also import the modules with PYTHON_GIL unset, in a python"
            + " process of their own")
    boolean probeGilUnset;

    @Option(names = "--thread-unsafe", paramLabel = "TEST_ID", description = "run this test single-threaded only (repeatable)")
    List<String> threadUnsafe = new ArrayList<>();

    @Option(names = "--pytest-arg", paramLabel = "ARG", description = "a pytest argument (repeatable)")
    List<String> pytestArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** The options above document and check the command line; the child reads the same arguments itself. */
    @Override
    public Integer call() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();   // the whole line: ftm's too
        return HarnessChild.run(all.subList(all.indexOf(spec.name()) + 1, all.size()));
    }
}
