package dev.ftmatrix.wheels;

import java.util.List;

/**
 * What was installed beside the wheel so its imports are fair: pip's resolution for the variant, wheels only.
 *
 * @param installed {@code name==version} of each distribution installed besides the wheel itself
 * @param problem empty when all were installed; else why not (then an import failure is not blamed on the project)
 */
public record Dependencies(List<String> installed, String problem) {
    public Dependencies {
        installed = List.copyOf(installed);
        problem = problem == null ? "" : problem;
    }

    public boolean complete() {
        return problem.isEmpty();
    }
}
