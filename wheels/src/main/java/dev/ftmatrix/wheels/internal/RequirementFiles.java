package dev.ftmatrix.wheels.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.support.PipRequirements;
import dev.ftmatrix.wheels.Requirement;
import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a project depends on from the files that say it: {@code requirements.txt} (with {@code -r}),
 * {@code pyproject.toml} ({@code [project] dependencies} and every {@code [dependency-groups]} group), and the pins
 * of {@code uv.lock}, {@code poetry.lock} and {@code pylock.toml}.
 */
public final class RequirementFiles {

    private RequirementFiles() {
    }

    /** The requirements or pins of {@code file}, by its name; a user error for a file it cannot read. */
    public static List<Requirement> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + " is not a file; give a requirements.txt, pyproject.toml, uv.lock,"
                    + " poetry.lock or pylock.toml");
        }
        String name = file.getFileName().toString();
        try {
            List<Requirement> out = switch (name) {
                case "pyproject.toml" -> pyproject(file);
                case "uv.lock" -> uvLock(file);
                case "poetry.lock" -> poetryLock(file);
                default -> name.matches("pylock(\\.[^.]+)?\\.toml") ? pylock(file)
                        : name.endsWith(".txt") || name.endsWith(".in") ? requirementsTxt(file, new HashSet<>())
                        : null;
            };
            if (out == null) {
                throw new UserInputException(file + ": not a dependency file ftm reads; give requirements*.txt,"
                        + " pyproject.toml, uv.lock, poetry.lock or pylock.toml");
            }
            if (out.isEmpty()) {
                throw new UserInputException(file + " states no dependency; nothing to check");
            }
            return out;
        } catch (IOException e) {
            throw new UserInputException(file + " cannot be read as " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<Requirement> requirementsTxt(Path file, Set<Path> seen) throws IOException {
        List<Requirement> out = new ArrayList<>();
        if (!seen.add(file.toAbsolutePath().normalize())) {
            return out;
        }
        for (PipRequirements.Line line : PipRequirements.parse(Files.readString(file))) {
            switch (line.kind()) {
                case INCLUDE -> out.addAll(requirementsTxt(file.resolveSibling(line.value()), seen));
                case REQUIREMENT -> out.add(requirement(line.value(), line.number()));
                case EDITABLE -> { }   // a local project, not a dependency from the index
            }
        }
        return out;
    }

    private static List<Requirement> pyproject(Path file) throws IOException {
        JsonNode root = new TomlMapper().readTree(file.toFile());
        List<String> lines = Files.readAllLines(file);
        List<Requirement> out = new ArrayList<>();
        for (JsonNode d : root.path("project").path("dependencies")) {
            out.add(requirement(d.asText(), lineOf(lines, d.asText())));
        }
        JsonNode groups = root.path("dependency-groups");
        groups.properties().forEach(g -> {
            for (JsonNode d : g.getValue()) {
                if (d.isTextual()) {
                    out.add(requirement(d.asText(), lineOf(lines, d.asText())));
                }   // {include-group = "..."} names a group that is read on its own
            }
        });
        return out;
    }

    private static List<Requirement> uvLock(Path file) throws IOException {
        JsonNode root = new TomlMapper().readTree(file.toFile());
        List<String> lines = Files.readAllLines(file);
        // uv pins every platform's packages; a package is installed where any edge to it applies
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (JsonNode p : root.path("package")) {
            for (String key : List.of("dependencies", "dev-dependencies", "optional-dependencies")) {
                JsonNode deps = p.path(key);
                List<JsonNode> all = new ArrayList<>();
                if (deps.isArray()) {
                    deps.forEach(all::add);
                } else {
                    deps.forEach(group -> group.forEach(all::add));
                }
                for (JsonNode d : all) {
                    edges.computeIfAbsent(d.path("name").asText(), k -> new ArrayList<>()).add(d.path("marker").asText(""));
                }
            }
        }
        List<Requirement> out = new ArrayList<>();
        for (JsonNode p : root.path("package")) {
            if (!p.path("source").has("registry")) {
                continue;   // the project itself (virtual, editable), git and path sources: not on the index
            }
            String n = p.path("name").asText();
            List<String> markers = edges.getOrDefault(n, List.of(""));
            String marker = markers.contains("") ? "" : "(" + String.join(") or (", markers) + ")";
            out.add(new Requirement(n, n + "==" + p.path("version").asText(), lineOf(lines, "name = \"" + n + "\""),
                    p.path("version").asText(), marker));
        }
        return out;
    }

    private static List<Requirement> poetryLock(Path file) throws IOException {
        JsonNode root = new TomlMapper().readTree(file.toFile());
        List<String> lines = Files.readAllLines(file);
        List<Requirement> out = new ArrayList<>();
        for (JsonNode p : root.path("package")) {
            String type = p.path("source").path("type").asText("");
            if (!type.isEmpty() && !type.equals("legacy")) {
                continue;   // git, directory, file, url sources
            }
            String n = p.path("name").asText();
            JsonNode m = p.path("markers");
            String marker = m.isTextual() ? m.asText() : m.path("main").asText("");
            out.add(new Requirement(n, n + "==" + p.path("version").asText(), lineOf(lines, "name = \"" + n + "\""),
                    p.path("version").asText(), marker));
        }
        return out;
    }

    private static List<Requirement> pylock(Path file) throws IOException {
        JsonNode root = new TomlMapper().readTree(file.toFile());
        List<String> lines = Files.readAllLines(file);
        List<Requirement> out = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            if (!p.has("version") || p.has("vcs") || p.has("directory") || p.has("archive")) {
                continue;   // not from an index
            }
            String n = p.path("name").asText();
            out.add(new Requirement(n, n + "==" + p.path("version").asText(), lineOf(lines, "name = \"" + n + "\""),
                    p.path("version").asText(), p.path("marker").asText("")));
        }
        return out;
    }

    private static Requirement requirement(String spec, int line) {
        String name = PipRequirements.projectName(spec);
        if (name == null) {
            throw new UserInputException("line " + line + ": '" + spec + "' is not a requirement (PEP 508: name,"
                    + " extras, version, marker)");
        }
        return new Requirement(name, spec.strip(), line, "", "");
    }

    private static int lineOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        return 0;
    }

}
