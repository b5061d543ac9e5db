package dev.ftmatrix.testrunner.patches;

import java.util.List;

/**
 * Why a build failed, named: {@code limited-api-on-ft}, {@code removed-c-api}, {@code binding-layer-too-old},
 * {@code missing-system-library}, {@code compiler-error}, {@code timeout}, {@code out-of-memory} or {@code unknown}.
 *
 * @param lines the log lines that show it (at most a few)
 */
public record BuildFailure(String category, String explanation, List<String> lines) {
    public BuildFailure {
        lines = List.copyOf(lines);
    }

    /** True when the cause is ftm's own (a requirement ftm did not fetch), not the project's. */
    public boolean ftmFault() {
        return "missing-requirement".equals(category);
    }
}
