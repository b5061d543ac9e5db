package dev.ftmatrix.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Names the cause of a failed build from its log, with the patterns of {@code build-failures.json}. */
public final class BuildFailures {
    private static final String RESOURCE = "/dev/ftmatrix/builder/patches/build-failures.json";
    private static final int KEEP_LINES = 8;
    private static final List<Category> CATEGORIES = load();

    private record Category(String name, String explanation, boolean ftmFault, List<Pattern> patterns) {
    }

    private BuildFailures() {
    }

    /** The first category, in the file's order, with a pattern matching a line of {@code log}. */
    public static BuildFailure classify(String log) {
        List<String> lines = log.lines().toList();
        for (Category c : CATEGORIES) {
            List<String> hits = new ArrayList<>();
            for (String line : lines) {
                if (c.patterns().stream().anyMatch(p -> p.matcher(line).find()) && !hits.contains(line.strip())) {
                    hits.add(line.strip());
                }
            }
            if (!hits.isEmpty()) {
                return new BuildFailure(c.name(), c.explanation(), hits.subList(0, Math.min(KEEP_LINES, hits.size())),
                        c.ftmFault());
            }
        }
        int from = Math.max(0, lines.size() - KEEP_LINES);
        return new BuildFailure("unknown", "no known cause in the log; see its last lines", lines.subList(from, lines.size()),
                false);
    }

    private static List<Category> load() {
        try (InputStream in = BuildFailures.class.getResourceAsStream(RESOURCE)) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Category> out = new ArrayList<>();
            for (JsonNode c : root.get("categories")) {
                List<Pattern> ps = new ArrayList<>();
                c.get("patterns").forEach(p -> ps.add(Pattern.compile(p.asText())));
                out.add(new Category(c.get("name").asText(), c.get("explanation").asText(), c.path("ftmFault").asBoolean(false),
                        List.copyOf(ps)));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + RESOURCE, e);
        }
    }
}
