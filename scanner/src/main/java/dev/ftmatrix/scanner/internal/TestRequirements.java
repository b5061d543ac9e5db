package dev.ftmatrix.scanner.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test requirements as they are gathered, source by source: a reference to the project itself ({@code .[test]},
 * {@code markupsafe[test]}) brings in those extras instead of itself; local paths, nameless URLs and repeats are left
 * out. A repeat is the same normalised name under the same marker, so {@code cffi~=1.17; python_version < "3.14"} and
 * {@code cffi>=2; python_version >= "3.14"} both stay; of two unmarked specs the first one wins.
 */
final class TestRequirements {
    private final String project;
    private final Map<String, SourcedRequirements> extras;
    private final Map<String, String> byKey = new LinkedHashMap<>();
    private final Set<String> sources = new LinkedHashSet<>();
    private final Set<String> expanded = new HashSet<>();

    /**
     * @param project the project's name (any spelling), or null when unknown
     * @param extras the project's extras by normalised name, each with where it is declared
     */
    TestRequirements(String project, Map<String, SourcedRequirements> extras) {
        this.project = project == null ? null : Requirements.normalize(project);
        this.extras = Map.copyOf(extras);
    }

    void add(SourcedRequirements part) {
        sources.add(part.source());
        for (String req : part.requirements()) {
            addOne(req.strip());
        }
    }

    /** The project's extras of these names, each once, as {@code pip install .[names]} would. */
    void addExtras(List<String> names) {
        for (String name : names) {
            SourcedRequirements extra = extras.get(Requirements.normalize(name.strip()));
            if (extra != null && expanded.add(Requirements.normalize(name.strip()))) {
                add(extra);
            }
        }
    }

    private void addOne(String req) {
        if (req.isEmpty()) {
            return;
        }
        String name = Requirements.name(req);
        if (Requirements.isProjectRoot(req) || name != null && name.equals(project)) {
            String named = Requirements.extras(req);
            addExtras(named.isBlank() ? List.of() : List.of(named.split(",")));
        } else if (name != null && !Requirements.isLocal(req)) {
            byKey.putIfAbsent(name + ";" + Requirements.marker(req), req);
        }
    }

    List<String> requirements() {
        return List.copyOf(byKey.values());
    }

    List<String> sources() {
        return new ArrayList<>(sources);
    }
}
