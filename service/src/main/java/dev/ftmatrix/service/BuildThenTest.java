package dev.ftmatrix.service;

import dev.ftmatrix.builder.Build;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.testrunner.VariantRun;

/**
 * The build stage, then the test stage on what it built: the service's wiring of the two (stages never call one
 * another). The harness's own requirements go into the build's venv with the project's.
 */
final class BuildThenTest {
    private BuildThenTest() {
    }

    /** Builds now; the returned run's tests start at its {@code call()} (set its GIL, harness, ... first). */
    static VariantRun of(Build build, TestOptions options, Progress progress) {
        return new VariantRun(build.toolRequirements(VariantRun.HARNESS_REQUIREMENTS).progress(progress).call())
                .options(options).progress(progress);
    }
}
