package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import java.nio.file.Path;

/**
 * Where the result store and the job queue live: the embedded SQLite file {@code DIR/results.db} (the default, no
 * set-up), or a PostgreSQL database that every process of a cluster points at ({@code --store jdbc:postgresql://...}).
 */
record StoreLocation(Path sqliteDir, String postgresUrl) {
    /** The {@code --store} option's words, for help texts. */
    static final String HELP = "where results and jobs live: jdbc:postgresql://HOST:PORT/DB?user=U (a cluster; see"
            + " scripts/postgres-up.sh), jdbc:sqlite:DIR/results.db or a directory (the embedded store)";

    StoreLocation {
        if ((sqliteDir == null) == (postgresUrl == null)) {
            throw new IllegalArgumentException("a store is either an SQLite directory or a PostgreSQL URL");
        }
    }

    /** The embedded store in {@code dir}. */
    static StoreLocation sqlite(Path dir) {
        return new StoreLocation(dir, null);
    }

    /** {@code --store VALUE}, or the embedded store in {@code defaultDir} when it is not given. */
    static StoreLocation parse(String value, Path defaultDir) {
        if (value == null || value.isBlank()) {
            return sqlite(defaultDir);
        }
        if (value.startsWith("jdbc:postgresql://")) {
            return new StoreLocation(null, value);
        }
        if (value.startsWith("jdbc:sqlite:")) {
            Path file = Path.of(value.substring("jdbc:sqlite:".length()));
            if (!file.getFileName().toString().equals(ResultStore.FILE)) {
                throw new UserInputException("--store " + value + ": an embedded store is a file named "
                        + ResultStore.FILE + "; give jdbc:sqlite:DIR/" + ResultStore.FILE + " or just DIR");
            }
            return sqlite(file.toAbsolutePath().getParent());
        }
        if (value.startsWith("jdbc:") || value.contains("://")) {
            throw new UserInputException("--store " + value + ": not a store ftm knows; give"
                    + " jdbc:postgresql://HOST:PORT/DB?user=U, jdbc:sqlite:DIR/" + ResultStore.FILE + " or a directory");
        }
        return sqlite(Path.of(value));
    }

    boolean postgres() {
        return postgresUrl != null;
    }

    /** The JDBC URL of the database. */
    String jdbcUrl() {
        return postgres() ? postgresUrl : "jdbc:sqlite:" + sqliteDir.resolve(ResultStore.FILE).toAbsolutePath();
    }

    /** For messages: the file, or the URL without its password. */
    String describe() {
        return postgres() ? postgresUrl.replaceAll("(?i)(password=)[^&]*", "$1***")
                : sqliteDir.resolve(ResultStore.FILE).toAbsolutePath().toString();
    }
}
