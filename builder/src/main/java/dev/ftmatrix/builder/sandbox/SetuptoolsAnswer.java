package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.patches.Versions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * When setuptools' {@code get_requires_for_build_wheel} can be answered without running it: from setuptools 70.1
 * (which builds wheels itself and stopped asking for {@code wheel}) the hook returns exactly the project's
 * {@code setup_requires}; a tree in which no Python file and no {@code setup.cfg} says {@code setup_requires} has none,
 * so the answer is nothing. Spares a sandbox start, a venv and an interpreter run (seconds per variant) for most
 * setuptools projects; any doubt (another backend, an in-tree wrapper, an older or unknown setuptools) asks the hook.
 */
final class SetuptoolsAnswer {
    private static final Pattern WHEEL = Pattern.compile("setuptools-([0-9][^-]*)-py3-none-any\\.whl");

    private SetuptoolsAnswer() {
    }

    /** Why the hook's answer is known to be nothing (for the log), or "" when the hook must be asked. */
    static String withoutAsking(Wheelhouse.Resolved wheelhouse, Path src) {
        String backend = wheelhouse.backend();
        if (!(backend.equals("setuptools.build_meta") || backend.equals("setuptools.build_meta:__legacy__"))
                || !wheelhouse.backendPath().isEmpty()) {
            return "";
        }
        String version = setuptools(wheelhouse.dir());
        if (version == null || Versions.compare(version, "70.1") < 0) {
            return "";
        }
        try (Stream<Path> files = Files.walk(src)) {
            boolean named = files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".py") || p.getFileName().toString().equals("setup.cfg"))
                    .anyMatch(SetuptoolsAnswer::namesSetupRequires);
            return named ? "" : "get_requires_for_build_wheel not asked: setuptools " + version
                    + " answers with the project's setup_requires, and no Python file or setup.cfg of it names any";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + src, e);
        }
    }

    /** The one setuptools wheel in the wheelhouse's version; null when there is none or more than one. */
    private static String setuptools(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> versions = files.map(p -> WHEEL.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> m.group(1)).distinct().toList();
            return versions.size() == 1 ? versions.getFirst() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean namesSetupRequires(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                    .contains("setup_requires");
        } catch (IOException e) {
            return true;   // unreadable: ask the hook
        }
    }
}
