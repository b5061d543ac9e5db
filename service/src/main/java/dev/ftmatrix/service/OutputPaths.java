package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output paths checked before any work: a directory option that names a file, or the other way round, is the user's to fix. */
final class OutputPaths {
    private OutputPaths() {
    }

    /** {@code dir} (may be null: not given) must be a directory or not exist yet. */
    static void directory(String option, Path dir) {
        if (dir == null) {
            return;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserInputException(option + " " + dir + ": is a file, not a directory; give a directory (new or"
                    + " existing)");
        }
        parentsAreDirectories(option, dir);
    }

    /** {@code file} (may be null: not given) must be a file or not exist yet. */
    static void file(String option, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UserInputException(option + " " + file + ": is a directory; give a file name to write to");
        }
        parentsAreDirectories(option, file);
    }

    private static void parentsAreDirectories(String option, Path p) {
        for (Path up = p.toAbsolutePath().normalize().getParent(); up != null; up = up.getParent()) {
            if (Files.exists(up)) {
                if (!Files.isDirectory(up)) {
                    throw new UserInputException(option + " " + p + ": " + up + " is a file, not a directory; give a"
                            + " path whose parents are directories");
                }
                return;
            }
        }
    }
}
