package dev.ftmatrix.builder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command for a {@link Sandbox}. A container sees only the listed paths, each at the same absolute path as on
 * the host (a toolchain's rpath is baked in): {@code readOnly} ones cannot be changed, {@code writable} ones are where
 * outputs go.
 *
 * @param env the environment; a null value removes the variable (locally), a container starts from an empty one
 * @param log the file the output is appended to; null for none
 */
public record SandboxCommand(List<String> argv, Path cwd, Map<String, String> env, List<Path> readOnly,
                             List<Path> writable, Path log, Duration deadline) {
    public SandboxCommand {
        argv = List.copyOf(argv);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));   // keeps null values: "unset"
        readOnly = List.copyOf(readOnly);
        writable = List.copyOf(writable);
        if (argv.isEmpty() || deadline == null) {
            throw new IllegalArgumentException("a sandbox command needs a program and a deadline");
        }
    }
}
