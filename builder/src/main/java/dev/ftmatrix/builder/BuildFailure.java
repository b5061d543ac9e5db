package dev.ftmatrix.builder;

import java.util.List;

/**
 * Why a build failed, named: {@code limited-api-on-ft}, {@code removed-c-api}, {@code binding-layer-too-old},
 * {@code missing-system-library}, {@code missing-requirement}, {@code compiler-error}, {@code timeout},
 * {@code out-of-memory} or {@code unknown}.
 *
 * @param lines the log lines that show it (at most a few)
 * @param ftmFault the cause is ftm's (it did not fetch a requirement), not the project's: no verdict on the project
 */
public record BuildFailure(String category, String explanation, List<String> lines, boolean ftmFault) {
    public BuildFailure {
        lines = List.copyOf(lines);
    }
}
