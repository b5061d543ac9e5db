package dev.ftmatrix.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which interpreters a command uses, for every command that builds, runs or measures: one declaration of
 * {@code --python} and {@code --no-install}, read into one {@link ToolchainChoice}.
 */
final class ToolchainOptionsMixin {
    @Option(names = "--python", paramLabel = "PATH", description = "an interpreter to use for its variant (repeatable)")
    List<Path> pythons = new ArrayList<>();

    @Option(names = "--no-install", description = "do not build missing toolchains; skip their variants")
    boolean noInstall;

    /** The options record, built once and passed whole. */
    ToolchainChoice choice() {
        return new ToolchainChoice(pythons, !noInstall);
    }
}
