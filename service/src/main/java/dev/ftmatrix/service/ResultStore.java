package dev.ftmatrix.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every result ever, in the embedded SQLite database ({@code DIR/results.db}, WAL, synchronous=FULL) or in a
 * PostgreSQL database that a cluster of workers shares ({@link StoreLocation}); one schema, migrated by
 * {@link StoreSchema}. A result is committed as its check finishes, so a process killed with {@code kill -9} keeps
 * what it finished; results are append-only (triggers refuse updates and deletes in both databases), so a new result
 * never overwrites an old one. The full {@code CheckResult} (schema 1 JSON) is kept per row, with one row per variant
 * beside it for queries. A job checks one (project, variant) and stores a result with that one variant: the latest
 * result of a project is its newest row, with each variant's newest result of the same source and stages.
 */
final class ResultStore implements AutoCloseable {
    static final String FILE = "results.db";
    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final StoreLocation at;
    private final Connection db;
    /** An embedded store opened to append, checked at open and not found damaged since: its state at close is healthy. */
    private volatile boolean vouch;

    /**
     * Opens (creating when needed) the embedded store in {@code dir} to read and append; JSON results of the earlier
     * file store there are imported once. An existing file is checked before anything is written to it.
     */
    ResultStore(Path dir) {
        this(StoreLocation.sqlite(dir), false);
    }

    /** Opens the existing embedded store in {@code dir} read-only (site, serve): nothing in it can change. */
    static ResultStore readOnly(Path dir) {
        return new ResultStore(StoreLocation.sqlite(dir), true);
    }

    /** Opens the store at {@code at}, to append or read-only. */
    static ResultStore open(StoreLocation at, boolean readOnly) {
        return new ResultStore(at, readOnly);
    }

    private ResultStore(StoreLocation at, boolean readOnly) {
        this.at = at;
        try {
            db = readOnly ? StoreSchema.openReadOnly(at) : StoreSchema.openToWrite(at);
            if (!readOnly && !at.postgres()) {
                importJsonFiles();
                vouch = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import into the result store " + at.describe(), e);
        } catch (SQLException e) {
            throw failure("cannot open the result store " + at.describe(), e);
        }
    }

    StoreLocation location() {
        return at;
    }

    /** The header deltas kept beside the results, in the same database. */
    HeaderDeltas headerDeltas() {
        return new HeaderDeltas(this);
    }

    /** The connection, for the other tables of the store ({@link HeaderDeltas}); used while holding this store's lock. */
    Connection connection() {
        return db;
    }

    /** A store that turns out damaged while read is the user's to restore; anything else is ours. */
    RuntimeException failure(String what, SQLException e) {
        if (StoreHealth.isCorrupt(e)) {
            vouch = false;
            return StoreHealth.damaged(Path.of(at.describe()), StoreHealth.sqliteSays(e));
        }
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }

    /** Appends {@code r} and commits before returning. */
    synchronized void put(CheckResult r) {
        try {
            db.setAutoCommit(false);
            long id;
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO results(project, fingerprint, finished_at,"
                    + " stored_at, schema, result_json, stages) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, r.project());
                ps.setString(2, r.fingerprint());
                ps.setString(3, r.finishedAt());
                ps.setString(4, Instant.now().toString());
                ps.setInt(5, r.schema());
                ps.setString(6, JSON.writeValueAsString(r));
                ps.setString(7, r.stages());
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
                    ? failure("cannot store the result of " + r.project() + " in " + at.describe(), sql)
                    : new IllegalStateException("cannot store the result of " + r.project() + " in " + at.describe(), e);
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

    /**
     * The latest result of {@code project}, if any: its newest row, with each variant's newest result of the same
     * source fingerprint and stages (a job stores one variant at a time).
     */
    synchronized Optional<CheckResult> latest(String project) {
        List<CheckResult> rows = query("SELECT result_json FROM results WHERE project = ? ORDER BY id DESC", project);
        return rows.isEmpty() ? Optional.empty() : Optional.of(merge(rows));
    }

    /** {@code newestFirst} rows of one project as one result: see {@link #latest(String)}. */
    static CheckResult merge(List<CheckResult> newestFirst) {
        CheckResult top = newestFirst.getFirst();
        SortedMap<String, VariantResult> variants = new TreeMap<>();
        for (CheckResult r : newestFirst) {
            if (r.fingerprint().equals(top.fingerprint()) && r.stages().equals(top.stages())) {
                r.variants().forEach(variants::putIfAbsent);
            }
        }
        if (variants.size() == top.variants().size()) {
            return top;
        }
        return new CheckResult(top.schema(), top.project(), top.source(), top.fingerprint(),
                top.declaresFreeThreading(), top.facts(), top.findings(), variants, top.finishedAt(), top.stages(),
                top.timings());
    }

    /** The latest result of every project ({@link #latest(String)}), by project name. */
    synchronized List<CheckResult> allLatest() {
        List<CheckResult> out = new ArrayList<>();
        for (String p : projects()) {
            latest(p).ifPresent(out::add);
        }
        return out;
    }

    /** The projects with a result, by name. */
    synchronized List<String> projects() {
        List<String> out = new ArrayList<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT project FROM results ORDER BY project")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure("cannot read " + at.describe(), e);
        }
        return out;
    }

    /**
     * Whether a result of this job's key is stored: {@code variant} of {@code project} checked from the source
     * {@code fingerprint} with {@code toolchain} by stages {@code stages}, and not failed by ftm (verdict error).
     */
    synchronized boolean has(String project, String fingerprint, String variant, String toolchain, String stages) {
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM variant_results v JOIN results r"
                + " ON r.id = v.result_id WHERE v.project = ? AND v.variant = ? AND v.toolchain = ?"
                + " AND r.fingerprint = ? AND r.stages = ? AND v.verdict <> ? LIMIT 1")) {
            ps.setString(1, project);
            ps.setString(2, variant);
            ps.setString(3, toolchain);
            ps.setString(4, fingerprint);
            ps.setString(5, stages);
            ps.setString(6, Verdict.ERROR.word());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("cannot read " + at.describe(), e);
        }
    }

    /**
     * The variants of {@code project} that have a result of the source {@code fingerprint} by stages {@code stages},
     * not failed by ftm (verdict error): those a new job of that source would find stored.
     */
    synchronized Set<String> storedVariants(String project, String fingerprint, String stages) {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT v.variant FROM variant_results v JOIN results r"
                + " ON r.id = v.result_id WHERE v.project = ? AND r.fingerprint = ? AND r.stages = ? AND v.verdict <> ?")) {
            ps.setString(1, project);
            ps.setString(2, fingerprint);
            ps.setString(3, stages);
            ps.setString(4, Verdict.ERROR.word());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read " + at.describe(), e);
        }
        return out;
    }

    /** The id of each project's newest result: a project whose id is unchanged has no new result. */
    synchronized Map<String, Long> lastIds() {
        Map<String, Long> out = new TreeMap<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT project, max(id) FROM results GROUP BY project")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw failure("cannot read " + at.describe(), e);
        }
        return out;
    }

    /** The variants that {@code projects} (all when null) have results of. */
    synchronized SortedSet<String> variants(Set<String> projects) {
        SortedSet<String> out = new TreeSet<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT project, variant FROM variant_results")) {
            while (rs.next()) {
                if (projects == null || projects.contains(rs.getString(1))) {
                    out.add(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read " + at.describe(), e);
        }
        return out;
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
            throw failure("cannot read " + at.describe(), e);
        }
    }

    /** The results stored after the one with id {@code id}, oldest first. */
    synchronized List<CheckResult> since(long id) {
        return query("SELECT result_json FROM results WHERE id > ? ORDER BY id", id);
    }

    /** How many results are stored in all. */
    synchronized long count() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM results")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("cannot read " + at.describe(), e);
        }
    }

    private List<CheckResult> query(String sql, Object... args) {
        List<CheckResult> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
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
            throw failure("cannot read " + at.describe(), e);
        }
        return out;
    }

    /** The file store kept {@code history/<project>/*.json}; bring those results over once, oldest first. */
    private void importJsonFiles() throws IOException {
        Path history = at.sqliteDir().resolve("history");
        if (!Files.isDirectory(history) || count() > 0) {
            return;
        }
        List<CheckResult> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(history)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                found.add(JSON.readValue(f.toFile(), CheckResult.class));
            }
        }
        found.sort(Comparator.comparing(CheckResult::finishedAt));
        found.forEach(this::put);
        LOG.info("imported {} results from {}", found.size(), history);
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset auto-commit on " + at.describe(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close " + at.describe(), e);
        }
        if (vouch) {
            // it was checked when opened and has been written since through SQLite only (ours, JobRunr's): the
            // next open need not read every page again
            StoreHealthRecord.record(at.sqliteDir().resolve(FILE), null);
        }
    }
}
