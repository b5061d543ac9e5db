package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the database of a {@link StoreLocation}: its connections, and its one schema brought up to date by Flyway's
 * versioned migrations ({@code db/migration/sqlite}, {@code db/migration/postgresql}: the same tables and the same
 * append-only triggers in each dialect; {@code db/migration/common}: what both write alike). A store made before migrations is baselined at version 1, its schema then.
 */
final class StoreSchema {
    private StoreSchema() {
    }

    /** A data source for the store's database (the job engine's too: results and jobs live in one database). */
    static DataSource dataSource(StoreLocation at) {
        if (at.postgres()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(at.postgresUrl());
            return ds;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(30_000);
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(at.jdbcUrl());
        return ds;
    }

    /** Checks an existing file, creates what is missing and migrates; returns a connection to append with. */
    static Connection openToWrite(StoreLocation at) throws SQLException {
        if (!at.postgres()) {
            Path file = at.sqliteDir().resolve(ResultStore.FILE).toAbsolutePath();
            try {
                if (Files.exists(file)) {
                    StoreHealth.check(file);
                }
                Files.createDirectories(at.sqliteDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the result store in " + at.sqliteDir(), e);
            }
        }
        DataSource ds = dataSource(at);
        migrate(at, ds);
        return ds.getConnection();
    }

    /** A connection that cannot write, to a store that must exist already. */
    static Connection openReadOnly(StoreLocation at) throws SQLException {
        if (!at.postgres()) {
            Path file = at.sqliteDir().resolve(ResultStore.FILE).toAbsolutePath();
            if (!Files.exists(file)) {
                throw noStore(at);
            }
            try {
                StoreHealth.check(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(30_000);
            return config.createConnection(at.jdbcUrl());
        }
        Connection c;
        try {
            c = dataSource(at).getConnection();
        } catch (SQLException e) {
            throw unreachable(at, e);
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('results') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    c.close();
                    throw noStore(at);
                }
            }
        }
        return c;
    }

    private static void migrate(StoreLocation at, DataSource ds) {
        try {
            Flyway.configure().dataSource(ds)
                    // what both dialects write alike is in common, once
                    .locations("classpath:db/migration/" + (at.postgres() ? "postgresql" : "sqlite"),
                            "classpath:db/migration/common")
                    // only SQLite stores predate migrations; a PostgreSQL database with other tables is refused
                    .baselineOnMigrate(!at.postgres()).baselineVersion("1")
                    .baselineDescription("the result store as ftm kept it before migrations")
                    .load().migrate();
        } catch (FlywayException e) {
            if (at.postgres() && e.getCause() instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                throw unreachable(at, sql);
            }
            throw new IllegalStateException("cannot bring the result store " + at.describe() + " up to date: "
                    + e.getMessage(), e);
        }
    }

    static UserInputException noStore(StoreLocation at) {
        return new UserInputException("no result store at " + at.describe() + ": run `ftm run MATRIX` or `ftm demo`"
                + " first, or point --store (or --results) at it");
    }

    static UserInputException unreachable(StoreLocation at, SQLException e) {
        return new UserInputException("--store " + at.describe() + ": cannot connect (" + e.getMessage().lines()
                .findFirst().orElse("") + "); start it with scripts/postgres-up.sh or fix the URL");
    }
}
