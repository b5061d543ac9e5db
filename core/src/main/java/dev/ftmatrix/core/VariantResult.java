package dev.ftmatrix.core;

import java.util.List;

/**
 * Everything one (project, variant) produced.
 *
 * @param gilEnabledAfterImport {@code sys._is_gil_enabled()} after importing the project's modules with
 *     {@code PYTHON_GIL} unset; null when not measured (no build, or a version without the function)
 * @param gilReenabledBy the module the interpreter's RuntimeWarning names, when it re-enabled the GIL
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
        String verdictReason) {
    public VariantResult {
        modules = List.copyOf(modules);
        tests = List.copyOf(tests);
        toolchain = toolchain == null ? "" : toolchain;
        gilReenabledBy = gilReenabledBy == null ? "" : gilReenabledBy;
    }

    /** A variant that never ran, with the reason it was skipped. */
    public static VariantResult skipped(Variant variant, String reason) {
        return new VariantResult(variant, "", BuildResult.failed("not built: " + reason, "", 0),
                List.of(), null, "", List.of(), Verdict.SKIPPED, reason);
    }
}
