package dev.ftmatrix.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one (project, variant) produced.
 *
 * @param gilEnabledAfterImport {@code sys._is_gil_enabled()} after importing the project's modules with
 *     {@code PYTHON_GIL} unset; null when not measured (no build, or a version without the function)
 * @param gilReenabledBy the module the interpreter's RuntimeWarning names, when it re-enabled the GIL
 * @param sandbox where the build and tests ran: {@code container}, or {@code none} for local processes
 * @param patched rebuilds with a too-old binding layer upgraded (free-threaded variants only; empty when no pin is
 *     too old)
 * @param importProbe what the import probe imported and how ({@code PYTHON_GIL} unset), or why it could not
 * @param importErrors per module that did not import, the error
 * @param collected how many tests pytest collected (-1: collection never ran)
 * @param threadUnsafe tests run single-threaded only, or found unsafe to run concurrently, with the reason: not
 *     counted against free-threading
 * @param testRequirements the project's test requirements that were installed, and those that could not be
 * @param timings wall time per phase in milliseconds (venv, resolve, build, install, import probe, harness start,
 *     collection, tests alone, tests concurrently, confirmation, ...), in the order they ran; {@code sandbox} is the
 *     part of them spent starting and stopping containers
 */
public record VariantResult(
        Variant variant,
        String toolchain,
        BuildResult build,
        List<String> modules,
        Boolean gilEnabledAfterImport,
        String gilReenabledBy,
        List<TestResult> tests,
        Verdict verdict,
        String verdictReason,
        String sandbox,
        List<PatchedBuild> patched,
        String importProbe,
        Map<String, String> importErrors,
        int collected,
        List<ThreadUnsafeTest> threadUnsafe,
        TestRequirements testRequirements,
        Map<String, Long> timings) {
    /** A test not counted against free-threading because running it concurrently is unsafe in itself. */
    public record ThreadUnsafeTest(String id, String reason) {
    }

    /** The project's test requirements as installed for this variant: {@code missing} each with why. */
    public record TestRequirements(List<String> installed, List<Missing> missing) {
        public TestRequirements {
            installed = installed == null ? List.of() : List.copyOf(installed);
            missing = missing == null ? List.of() : List.copyOf(missing);
        }

        public static final TestRequirements NONE = new TestRequirements(List.of(), List.of());
    }

    /** A requirement that could not be installed for the variant. */
    public record Missing(String name, String reason) {
    }

    public VariantResult(Variant variant, String toolchain, BuildResult build, List<String> modules,
                         Boolean gilEnabledAfterImport, String gilReenabledBy, List<TestResult> tests, Verdict verdict,
                         String verdictReason, String sandbox, List<PatchedBuild> patched) {
        this(variant, toolchain, build, modules, gilEnabledAfterImport, gilReenabledBy, tests, verdict, verdictReason,
                sandbox, patched, "", Map.of(), tests == null ? -1 : tests.size(), List.of(), TestRequirements.NONE,
                Map.of());
    }

    public VariantResult {
        importProbe = importProbe == null ? "" : importProbe;
        importErrors = importErrors == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(importErrors));
        threadUnsafe = threadUnsafe == null ? List.of() : List.copyOf(threadUnsafe);
        testRequirements = testRequirements == null ? TestRequirements.NONE : testRequirements;
        timings = timings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        modules = List.copyOf(modules);
        tests = List.copyOf(tests);
        toolchain = toolchain == null ? "" : toolchain;
        gilReenabledBy = gilReenabledBy == null ? "" : gilReenabledBy;
        sandbox = sandbox == null ? "" : sandbox;
        patched = patched == null ? List.of() : List.copyOf(patched);
    }

    /** A variant that never ran, with the reason it was skipped. */
    public static VariantResult skipped(Variant variant, String reason) {
        return new VariantResult(variant, "", BuildResult.failed("not built: " + reason, "", 0),
                List.of(), null, "", List.of(), Verdict.SKIPPED, reason, "", List.of());
    }
}
