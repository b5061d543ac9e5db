package dev.ftmatrix.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.VariantResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Every result ever, in an embedded SQLite database ({@code DIR/results.db}, WAL, synchronous=FULL). A result is
 * committed as its project finishes, so a run killed with {@code kill -9} keeps what it finished; results are
 * append-only (a trigger refuses updates and deletes), so a new result never overwrites an old one. The full
 * {@code CheckResult} (schema 1 JSON) is kept per row, with one row per variant beside it for queries.
 */
final class ResultStore implements AutoCloseable {
    static final String FILE = "results.db";
    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS results (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          project TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          finished_at TEXT NOT NULL,
          stored_at TEXT NOT NULL,
          schema INTEGER NOT NULL,
          result_json TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS results_by_project ON results(project, id)",
        """
        CREATE TABLE IF NOT EXISTS variant_results (
          result_id INTEGER NOT NULL REFERENCES results(id),
          project TEXT NOT NULL,
          variant TEXT NOT NULL,
          toolchain TEXT NOT NULL,
          verdict TEXT NOT NULL,
          reason TEXT NOT NULL,
          PRIMARY KEY (result_id, variant))""",
        "CREATE INDEX IF NOT EXISTS variant_results_by_project ON variant_results(project, variant, result_id)",
        "CREATE TRIGGER IF NOT EXISTS results_no_update BEFORE UPDATE ON results"
                + " BEGIN SELECT RAISE(ABORT, 'results are append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS results_no_delete BEFORE DELETE ON results"
                + " BEGIN SELECT RAISE(ABORT, 'results are append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS variant_results_no_update BEFORE UPDATE ON variant_results"
                + " BEGIN SELECT RAISE(ABORT, 'results are append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS variant_results_no_delete BEFORE DELETE ON variant_results"
                + " BEGIN SELECT RAISE(ABORT, 'results are append-only'); END",
    };

    private final Path dir;
    private final Connection db;

    /**
     * Opens (creating when needed) the store in {@code dir} to read and append; JSON results of the earlier file
     * store there are imported once. An existing file is checked before anything is written to it.
     */
    ResultStore(Path dir) {
        this(dir, false);
    }

    /** Opens the existing store in {@code dir} read-only (site, serve): nothing in it can change. */
    static ResultStore readOnly(Path dir) {
        return new ResultStore(dir, true);
    }

    private ResultStore(Path dir, boolean readOnly) {
        this.dir = dir;
        Path file = dir.resolve(FILE).toAbsolutePath();
        try {
            if (Files.exists(file)) {
                StoreHealth.check(file);
            } else if (readOnly) {
                throw new UserInputException("no result store at " + file + ": run `ftm run MATRIX` or `ftm demo`"
                        + " first, or point --results at its results directory");
            }
            if (readOnly) {
                SQLiteConfig config = new SQLiteConfig();
                config.setReadOnly(true);
                config.setBusyTimeout(30_000);
                db = config.createConnection("jdbc:sqlite:" + file);
                return;
            }
            Files.createDirectories(dir);
            db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=30000");
                s.execute("PRAGMA foreign_keys=ON");
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
            }
            importJsonFiles();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the result store in " + dir, e);
        } catch (SQLException e) {
            throw failure("cannot open the result store " + file, e);
        }
    }

    /** A store that turns out damaged while read is the user's to restore; anything else is ours. */
    private RuntimeException failure(String what, SQLException e) {
        if (StoreHealth.isCorrupt(e)) {
            return StoreHealth.damaged(dir.resolve(FILE).toAbsolutePath(), StoreHealth.sqliteSays(e));
        }
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }

    /** Appends {@code r} and commits before returning. */
    synchronized void put(CheckResult r) {
        try {
            db.setAutoCommit(false);
            long id;
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO results(project, fingerprint, finished_at,"
                    + " stored_at, schema, result_json) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, r.project());
                ps.setString(2, r.fingerprint());
                ps.setString(3, r.finishedAt());
                ps.setString(4, Instant.now().toString());
                ps.setInt(5, r.schema());
                ps.setString(6, JSON.writeValueAsString(r));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO variant_results(result_id, project, variant,"
                    + " toolchain, verdict, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (VariantResult v : r.variants().values()) {
                    ps.setLong(1, id);
                    ps.setString(2, r.project());
                    ps.setString(3, v.variant().id());
                    ps.setString(4, v.toolchain());
                    ps.setString(5, v.verdict().word());
                    ps.setString(6, v.verdictReason());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            db.commit();
        } catch (SQLException | JsonProcessingException e) {
            RuntimeException failure = e instanceof SQLException sql
                    ? failure("cannot store the result of " + r.project() + " in " + dir.resolve(FILE), sql)
                    : new IllegalStateException("cannot store the result of " + r.project() + " in " + dir.resolve(FILE), e);
            try {
                db.rollback();
            } catch (SQLException rollback) {
                failure.addSuppressed(rollback);
            }
            throw failure;
        } finally {
            autoCommit();
        }
    }

    /** The newest result of {@code project}, if any. */
    synchronized Optional<CheckResult> latest(String project) {
        List<CheckResult> one = query("SELECT result_json FROM results WHERE project = ? ORDER BY id DESC LIMIT 1", project);
        return one.stream().findFirst();
    }

    /** The newest result of every project, by project name. */
    synchronized List<CheckResult> allLatest() {
        return query("SELECT result_json FROM results r WHERE id = (SELECT max(id) FROM results WHERE project = r.project)"
                + " ORDER BY project");
    }

    /** Every result of {@code project}, oldest first. */
    synchronized List<CheckResult> history(String project) {
        return query("SELECT result_json FROM results WHERE project = ? ORDER BY id", project);
    }

    /** Every result of every project, oldest first per project. */
    synchronized Map<String, List<CheckResult>> history() {
        Map<String, List<CheckResult>> out = new LinkedHashMap<>();
        for (CheckResult r : query("SELECT result_json FROM results ORDER BY project, id")) {
            out.computeIfAbsent(r.project(), p -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** The id of the newest result, 0 when there is none; ids only grow. */
    synchronized long lastId() {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM results")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("cannot read " + dir.resolve(FILE), e);
        }
    }

    /** The results stored after the one with id {@code id}, oldest first. */
    synchronized List<CheckResult> since(long id) {
        return query("SELECT result_json FROM results WHERE id > ? ORDER BY id", Long.toString(id));
    }

    /** How many results are stored in all. */
    synchronized long count() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM results")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("cannot read " + dir.resolve(FILE), e);
        }
    }

    private List<CheckResult> query(String sql, String... args) {
        List<CheckResult> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String json = rs.getString(1);
                    try {
                        out.add(JSON.readValue(json, CheckResult.class));
                    } catch (JsonProcessingException e) {
                        // a result this version cannot read is left out (and so redone), not trusted
                        LOG.warn("skipping a stored result that does not parse as CheckResult schema 1", e);
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read " + dir.resolve(FILE), e);
        }
        return out;
    }

    /** The file store kept {@code history/<project>/*.json}; bring those results over once, oldest first. */
    private void importJsonFiles() throws IOException {
        Path history = dir.resolve("history");
        if (!Files.isDirectory(history) || count() > 0) {
            return;
        }
        List<CheckResult> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(history)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                found.add(JSON.readValue(f.toFile(), CheckResult.class));
            }
        }
        found.sort(java.util.Comparator.comparing(CheckResult::finishedAt));
        found.forEach(this::put);
        LOG.info("imported {} results from {}", found.size(), history);
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset auto-commit on " + dir.resolve(FILE), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close " + dir.resolve(FILE), e);
        }
    }
}
