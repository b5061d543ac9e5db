package dev.ftmatrix.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.wheels.WheelCheck;
import dev.ftmatrix.wheels.WheelReport;
import dev.ftmatrix.wheels.WheelResult;
import dev.ftmatrix.wheels.WheelVerdict;
import java.sql.Connection;
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
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published-wheel results in the result store's database (table {@code wheel_results}, migration V3): one row per
 * (project, release, variant) each time it is checked, append-only, so the history shows when a project's wheel
 * became ready. Beside {@link ResultStore}, on its own connection to the same database.
 */
final class WheelStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WheelStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private final StoreLocation at;
    private final Connection db;

    /** One stored check of one release on one variant. */
    record Row(long id, String project, String version, String variant, String toolchain, String checkedAt,
               String stages, WheelResult result) {
    }

    private WheelStore(StoreLocation at, Connection db) {
        this.at = at;
        this.db = db;
    }

    /** Opens the store at {@code at} (made and migrated when needed) to append. */
    static WheelStore open(StoreLocation at) {
        try {
            return new WheelStore(at, StoreSchema.openToWrite(at));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the result store " + at.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Opens the existing store at {@code at} read-only (a store not migrated to wheels yet has no rows). */
    static WheelStore readOnly(StoreLocation at) {
        try {
            return new WheelStore(at, StoreSchema.openReadOnly(at));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the result store " + at.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends each variant's result of {@code r} with the label of the toolchain that checked it, and commits. An
     * {@code error} is stored too (the site says "not checked"), but it never counts as stored for {@link #has}.
     */
    synchronized void put(WheelReport r, Function<String, String> toolchainOf) {
        String now = Instant.now().toString();
        try {
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO wheel_results(project, version, variant,"
                    + " toolchain, verdict, reason, wheel, checked_at, stored_at, stages, schema, result_json)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (WheelResult w : r.variants().values()) {
                    ps.setString(1, r.project());
                    ps.setString(2, r.version());
                    ps.setString(3, w.variant());
                    ps.setString(4, toolchainOf.apply(w.variant()));
                    ps.setString(5, w.verdict().word());
                    ps.setString(6, w.reason());
                    ps.setString(7, w.wheel() == null ? "" : w.wheel().filename());
                    ps.setString(8, now);
                    ps.setString(9, now);
                    ps.setString(10, WheelCheck.STAGES);
                    ps.setInt(11, WheelReport.SCHEMA);
                    ps.setString(12, JSON.writeValueAsString(w));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            db.commit();
        } catch (SQLException | JsonProcessingException e) {
            IllegalStateException failure = new IllegalStateException("cannot store the wheels of " + r.project()
                    + " " + r.version() + " in " + at.describe() + ": " + e.getMessage(), e);
            try {
                db.rollback();
            } catch (SQLException rollback) {
                failure.addSuppressed(rollback);
            }
            throw failure;
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.warn("cannot reset auto-commit on {}", at.describe(), e);
            }
        }
    }

    /**
     * Whether {@code variant} of release {@code version} of {@code project} was checked with {@code toolchain} by
     * this version of the stage, and ftm did not fail at it: a job for it has nothing to do.
     */
    synchronized boolean has(String project, String version, String variant, String toolchain) {
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM wheel_results WHERE project = ? AND version = ?"
                + " AND variant = ? AND toolchain = ? AND stages = ? AND verdict <> ? LIMIT 1")) {
            ps.setString(1, project);
            ps.setString(2, version);
            ps.setString(3, variant);
            ps.setString(4, toolchain);
            ps.setString(5, WheelCheck.STAGES);
            ps.setString(6, WheelVerdict.ERROR.word());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + at.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The stored report of release {@code version} of {@code project} when every one of {@code variants} was checked
     * with its toolchain by this stage version and ftm did not fail at it (each variant's newest such check).
     */
    synchronized Optional<WheelReport> report(String project, String version, List<String> variants,
                                                        Function<String, String> toolchainOf) {
        Map<String, WheelResult> out = new TreeMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT result_json FROM wheel_results WHERE project = ?"
                + " AND version = ? AND variant = ? AND toolchain = ? AND stages = ? AND verdict <> ?"
                + " ORDER BY id DESC LIMIT 1")) {
            for (String v : variants) {
                ps.setString(1, project);
                ps.setString(2, version);
                ps.setString(3, v);
                ps.setString(4, toolchainOf.apply(v));
                ps.setString(5, WheelCheck.STAGES);
                ps.setString(6, WheelVerdict.ERROR.word());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    out.put(v, JSON.readValue(rs.getString(1), WheelResult.class));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read " + at.describe() + ": " + e.getMessage(), e);
        }
        return Optional.of(new WheelReport(WheelReport.SCHEMA, project, version, "pypi:" + project + "=="
                + version, out));
    }

    /** Every stored check, per project (by name) oldest first; empty for a store that has no wheel table yet. */
    synchronized Map<String, List<Row>> all() {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        if (!hasTable()) {
            return out;
        }
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT id, project, version, variant,"
                + " toolchain, checked_at, stages, result_json FROM wheel_results ORDER BY project, id")) {
            while (rs.next()) {
                WheelResult w;
                try {
                    w = JSON.readValue(rs.getString(8), WheelResult.class);
                } catch (JsonProcessingException e) {
                    // a row this version cannot read is left out, not trusted
                    LOG.warn("skipping a stored wheel result that does not parse as schema {}", WheelReport.SCHEMA, e);
                    continue;
                }
                out.computeIfAbsent(rs.getString(2), p -> new ArrayList<>()).add(new Row(rs.getLong(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), w));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + at.describe() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** How many checks are stored. */
    synchronized long count() {
        if (!hasTable()) {
            return 0;
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM wheel_results")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + at.describe() + ": " + e.getMessage(), e);
        }
    }

    /** A store opened read-only is not migrated: one made before wheels were stored has no such table. */
    private boolean hasTable() {
        try (ResultSet rs = db.getMetaData().getTables(null, null, "wheel_results", null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + at.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close " + at.describe(), e);
        }
    }
}
