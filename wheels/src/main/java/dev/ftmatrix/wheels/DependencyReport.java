package dev.ftmatrix.wheels;

import java.util.List;

/** {@code ftm deps}' result (JSON schema 1): every resolved dependency of a file on one variant. */
public record DependencyReport(int schema, String file, String variant, String resolvedWith,
                               List<DependencyResult> dependencies) {
    public static final int SCHEMA = 1;

    public DependencyReport {
        dependencies = List.copyOf(dependencies);
    }
}
