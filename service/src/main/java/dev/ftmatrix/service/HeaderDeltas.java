package dev.ftmatrix.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.Variant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored header deltas ({@code header_deltas}, migrations V4 and V4.1): one row per GIL / free-threaded toolchain
 * pair and delta schema, appended once, never changed. A store opened read-only that predates the table has none.
 */
final class HeaderDeltas {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeltas.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fixed width, so that the text sorts as the instants do (newest is greatest). */
    private static final DateTimeFormatter MEASURED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final ResultStore store;

    HeaderDeltas(ResultStore store) {
        this.store = store;
    }

    /** Whether the delta of these two toolchains ({@code Toolchain.label()}) is stored in this schema. */
    boolean has(String gilToolchain, String ftToolchain) {
        synchronized (store) {
            Connection db = store.connection();
            try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM header_deltas WHERE gil_toolchain = ?"
                    + " AND ft_toolchain = ? AND schema = ? LIMIT 1")) {
                ps.setString(1, gilToolchain);
                ps.setString(2, ftToolchain);
                ps.setInt(3, HeaderDelta.SCHEMA);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                throw store.failure("cannot read " + store.location().describe(), e);
            }
        }
    }

    /** Appends the delta of {@code gil} and {@code ft} and commits before returning. */
    void put(Variant gil, Variant ft, HeaderDelta d) {
        synchronized (store) {
            try (PreparedStatement ps = store.connection().prepareStatement("INSERT INTO header_deltas(gil_variant,"
                    + " ft_variant, gil_toolchain, ft_toolchain, schema, measured_at, delta_json)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, gil.id());
                ps.setString(2, ft.id());
                ps.setString(3, d.gil());
                ps.setString(4, d.ft());
                ps.setInt(5, d.schema());
                ps.setString(6, MEASURED_AT.format(Instant.now()));
                ps.setString(7, JSON.writeValueAsString(d));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw store.failure("cannot store the header delta of " + gil + "/" + ft + " in "
                        + store.location().describe(), e);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot store the header delta of " + gil + "/" + ft, e);
            }
        }
    }

    /** The newest delta of each variant pair in this schema, by its free-threaded variant ({@code cp313t}). */
    Map<String, HeaderDelta> latest() {
        Map<String, HeaderDelta> out = new TreeMap<>();
        synchronized (store) {
            Connection db = store.connection();
            try {
                if (!exists(db)) {
                    return out;
                }
                try (PreparedStatement ps = db.prepareStatement("SELECT ft_variant, delta_json"
                        + " FROM header_deltas WHERE schema = ? ORDER BY measured_at DESC")) {
                    ps.setInt(1, HeaderDelta.SCHEMA);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String ft = rs.getString(1);
                            if (!out.containsKey(ft)) {
                                read(rs.getString(2)).ifPresent(d -> out.put(ft, d));
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw store.failure("cannot read " + store.location().describe(), e);
            }
        }
        return out;
    }

    private static Optional<HeaderDelta> read(String json) {
        try {
            return Optional.of(JSON.readValue(json, HeaderDelta.class));
        } catch (JsonProcessingException e) {
            // a delta this version cannot read is left out, not trusted
            LOG.warn("skipping a stored header delta that does not parse as HeaderDelta schema {}", HeaderDelta.SCHEMA, e);
            return Optional.empty();
        }
    }

    /** Whether the table is there: a store opened read-only is not migrated, and one made before V3 lacks it. */
    private boolean exists(Connection db) throws SQLException {
        String sql = store.location().postgres() ? "SELECT to_regclass('header_deltas') IS NOT NULL"
                : "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'header_deltas'";
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
