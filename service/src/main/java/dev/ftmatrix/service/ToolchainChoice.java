package dev.ftmatrix.service;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.List;

/**
 * Which interpreters a command uses ({@code --python}, {@code --no-install}).
 *
 * @param pythons interpreters given for their variants
 * @param install whether a variant without one gets a toolchain built (else it is skipped, with the reason)
 */
record ToolchainChoice(List<Path> pythons, boolean install) {
    ToolchainChoice {
        pythons = List.copyOf(pythons);
    }

    /** The installed toolchains and these choices, in the toolchain cache {@code cache}. */
    ToolchainResolver resolver(Path cache, Progress progress) {
        return new ToolchainResolver(new Toolchains(cache, progress), pythons, install, progress);
    }
}
