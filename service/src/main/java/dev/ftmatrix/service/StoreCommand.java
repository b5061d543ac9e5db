package dev.ftmatrix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.sqlite.SQLiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ftm store}: the result store's health. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Look after the result store.",
        subcommands = StoreCommand.Check.class)
final class StoreCommand {
    /** {@code ftm store check}: SQLite's full integrity check, and which results can still be read back whole. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Run SQLite's full integrity check on the result store and read back every result;"
                    + " when the store is damaged, say how many results can be salvaged, and with --salvage-to copy"
                    + " them into a new store.",
                    "Exit code 0 when the store is healthy, 1 when it is damaged."})
    static final class Check implements Callable<Integer> {
        /** Past this many missing ids in a row, a store whose highest id cannot be read has no more results. */
        private static final int MISSES_TO_END = 1000;
        private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

        @Option(names = "--results", defaultValue = "build/results", paramLabel = "DIR",
                description = "the result store's directory. Default: ${DEFAULT-VALUE}")
        Path results;

        @Option(names = "--salvage-to", paramLabel = "DIR",
                description = "copy every result that reads back whole into a new store in DIR")
        Path salvageTo;

        @Override
        public Integer call() throws IOException {
            Path file = results.resolve(ResultStore.FILE).toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new UserInputException("no result store at " + file + "; point --results at its directory");
            }
            if (salvageTo != null && Files.exists(salvageTo.resolve(ResultStore.FILE))) {
                throw new UserInputException("--salvage-to " + salvageTo + ": a result store is there already; give"
                        + " a new directory");
            }
            String header = StoreHealth.headerProblem(file);
            List<String> problems = new ArrayList<>();
            List<CheckResult> readable = new ArrayList<>();
            long unreadable = 0;
            if (header != null) {
                problems.add(header);
            } else {
                SQLiteConfig config = new SQLiteConfig();
                config.setReadOnly(true);
                try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
                    problems.addAll(integrity(c));
                    unreadable = readBack(c, readable);
                } catch (SQLException e) {
                    problems.add(StoreHealth.sqliteSays(e));
                }
            }
            long projects = readable.stream().map(CheckResult::project).distinct().count();
            if (problems.isEmpty() && unreadable == 0) {
                System.out.println("result store " + file + ": healthy (SQLite's integrity check: ok); "
                        + readable.size() + " results of " + projects + " projects");
                return Ftm.OK;
            }
            System.out.println("result store " + file + " is damaged:");
            problems.stream().limit(10).forEach(p -> System.out.println("  " + p));
            if (problems.size() > 10) {
                System.out.println("  ... and " + (problems.size() - 10) + " more");
            }
            if (readable.isEmpty()) {
                System.out.println("nothing can be salvaged: no result reads back whole through SQLite (the sqlite3"
                        + " shell's .recover may get more); restore the store from a backup, or move it aside and run"
                        + " again");
            } else {
                System.out.println("salvageable: " + readable.size() + " results of " + projects + " projects read back"
                        + " whole" + (unreadable > 0 ? "; " + unreadable + " do not" : ""));
                if (salvageTo == null) {
                    System.out.println("copy them into a new store with: ftm store check --results " + results
                            + " --salvage-to NEW_DIR; then move the damaged store aside");
                } else {
                    try (ResultStore fresh = new ResultStore(salvageTo)) {
                        readable.forEach(fresh::put);
                    }
                    System.out.println("copied " + readable.size() + " results into "
                            + salvageTo.resolve(ResultStore.FILE).toAbsolutePath() + " (each stored anew, oldest first)");
                }
            }
            return Ftm.CHECK_FAILED;
        }

        private static List<String> integrity(Connection c) {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    if (!line.equals("ok")) {
                        out.addAll(Arrays.asList(line.split("\n")));
                    }
                }
            } catch (SQLException e) {
                out.add("integrity check: " + StoreHealth.sqliteSays(e));
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                TreeSet<String> tables = new TreeSet<>();
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
                if (!tables.contains("results")) {
                    out.add("no results table (tables: " + tables + "): not an ftm result store");
                }
            } catch (SQLException e) {
                out.add("schema: " + StoreHealth.sqliteSays(e));
            }
            return out;
        }

        /**
         * Reads every result by its id (the table's own b-tree, not the indexes), so a damaged page costs only the
         * rows on it; returns how many ids that should be there could not be read or parsed.
         */
        private static long readBack(Connection c, List<CheckResult> into) {
            long highest = highestId(c);
            long unreadable = 0;
            long misses = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT result_json FROM results WHERE id = ?")) {
                for (long id = 1; highest > 0 ? id <= highest : misses < MISSES_TO_END; id++) {
                    try {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                into.add(JSON.readValue(rs.getString(1), CheckResult.class));
                                misses = 0;
                                continue;
                            }
                        }
                        misses++;
                        unreadable += highest > 0 ? 1 : 0;
                    } catch (SQLException | IOException e) {
                        misses++;
                        unreadable++;
                    }
                }
            } catch (SQLException e) {
                return Math.max(highest, 1);
            }
            return unreadable;
        }

        /** The highest id ever given, from AUTOINCREMENT's record or the table; 0 when neither can be read. */
        private static long highestId(Connection c) {
            for (String sql : List.of("SELECT seq FROM sqlite_sequence WHERE name = 'results'",
                    "SELECT max(id) FROM results")) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        return rs.getLong(1);
                    }
                } catch (SQLException e) {
                    // damaged where it is kept: try the next way
                }
            }
            return 0;
        }
    }
}
