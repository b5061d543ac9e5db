package dev.ftmatrix.core;

import java.util.List;

/**
 * Everything one (project, variant) produced.
 *
 * @param gilEnabledAfterImport {@code sys._is_gil_enabled()} after importing the project's modules with
 *     {@code PYTHON_GIL} unset; null when not measured (no build, or a version without the function)
 * @param gilReenabledBy the module the interpreter's RuntimeWarning names, when it re-enabled the GIL
 * @param sandbox where the build and tests ran: {@code container}, or {@code none} for local processes
 * @param patched rebuilds with a too-old binding layer upgraded (free-threaded variants only; empty when no pin is
 *     too old)
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
        List<PatchedBuild> patched) {
    public VariantResult {
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
