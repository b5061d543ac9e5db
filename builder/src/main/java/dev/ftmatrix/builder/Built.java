package dev.ftmatrix.builder;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.VariantResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link Build} produced: the project built for one toolchain and installed, with its test requirements, in a
 * venv that the tests run in, in the same sandbox.
 *
 * @param project the project's own tree (read-only to the sandbox)
 * @param work the build's work directory; the tests write beside it
 * @param env the matrix's extra environment, for the tests too
 * @param build the build's result (failed: its reason and log tail)
 * @param modules the dotted names of the extension modules in the built wheels
 * @param venv the venv with the project installed; null when the build did not get that far
 * @param sandbox where the build ran and the tests run
 * @param ftmError empty, or the step at which ftm itself failed and why ({@code resolve: ...}): then nothing is
 *     claimed about the project
 * @param testRequirements the test requirements installed and missing; null when not reached
 * @param timings wall time per phase (copy, resolve, venv, build, install, sandbox)
 */
public record Built(Path project, Toolchain toolchain, Path work, Map<String, String> env, BuildResult build,
                    List<String> modules, Venv venv, Sandbox sandbox, String ftmError,
                    VariantResult.TestRequirements testRequirements, Map<String, Long> timings) {
    public Built {
        env = Map.copyOf(env);
        modules = List.copyOf(modules);
        ftmError = ftmError == null ? "" : ftmError;
        timings = Map.copyOf(timings);
    }

    /** Built and installed with the test requirements: the tests can run. */
    public boolean ok() {
        return build.ok() && ftmError.isEmpty() && venv != null;
    }
}
