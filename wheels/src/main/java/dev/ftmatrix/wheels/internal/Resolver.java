package dev.ftmatrix.wheels.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.wheels.Requirement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an install of some requirements gets on one interpreter: pip's own resolver, {@code install --dry-run
 * --report} into an empty venv, on the host with network, wheels only (no sdist is built to learn its metadata, so no
 * project code runs). Lock files are not resolved again: their pins are kept where their markers hold.
 */
public final class Resolver {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern NO_MATCH = Pattern.compile("No matching distribution found for ([A-Za-z0-9._-]+)");
    private final Path pipCache;

    public Resolver(Path pipCache) {
        this.pipCache = pipCache;
    }

    /**
     * The resolution: each distribution pinned, and the requirements pip could get no wheel for at all (left out and
     * resolved again without them, so the rest is still known).
     */
    public record Resolution(Map<String, String> pins, Map<String, String> requestedBy, List<String> unresolvable,
                             String failure) {
    }

    public Resolution resolve(Toolchain t, List<Requirement> requirements, Path work) {
        List<Requirement> pins = requirements.stream().filter(r -> !r.pinned().isEmpty()).toList();
        if (pins.size() == requirements.size()) {
            return fromLock(t, pins, work);
        }
        List<Requirement> left = new ArrayList<>(requirements);
        List<String> unresolvable = new ArrayList<>();
        try {
            Path venv = work.resolve("resolve-venv");
            Processes.Run mk = Processes.run(List.of(t.python().toString(), "-m", "venv", "--without-pip", "--clear",
                    venv.toString()), work, env(), null, l -> { }, Duration.ofMinutes(2));
            if (!mk.ok()) {
                throw new IllegalStateException("cannot create a venv with " + t.python() + ": " + mk.tail(3));
            }
            for (int attempt = 0; attempt < 10 && !left.isEmpty(); attempt++) {
                Path reqs = work.resolve("requirements.txt");
                Files.writeString(reqs, String.join("\n", left.stream().map(Requirement::spec).toList()) + "\n");
                Path report = work.resolve("resolution.json");
                Processes.Run r = Processes.run(List.of(t.python().toString(), "-m", "pip", "--python",
                        venv.resolve("bin/python").toString(), "install", "--dry-run", "--ignore-installed", "--quiet",
                        "--only-binary=:all:", "--report", report.toString(), "-r", reqs.toString()), work, env(), null,
                        l -> { }, Duration.ofMinutes(10));
                if (r.ok()) {
                    return read(report, unresolvable);
                }
                Matcher m = NO_MATCH.matcher(r.output());
                String missing = m.find() ? normalize(m.group(1)) : null;
                if (missing == null || left.stream().noneMatch(q -> normalize(q.name()).equals(missing))) {
                    return new Resolution(Map.of(), Map.of(), unresolvable, "pip cannot resolve the requirements"
                            + " with wheels only: " + Installer.lastError(r));
                }
                unresolvable.add(missing);
                left.removeIf(q -> normalize(q.name()).equals(missing));
            }
            return new Resolution(Map.of(), Map.of(), unresolvable, left.isEmpty() ? "" : "too many requirements have no wheel");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Resolution read(Path report, List<String> unresolvable) throws IOException {
        JsonNode root = MAPPER.readTree(Files.readString(report));
        Map<String, String> pins = new LinkedHashMap<>();
        Map<String, String> requested = new LinkedHashMap<>();
        for (JsonNode i : root.path("install")) {
            String n = i.path("metadata").path("name").asText();
            pins.put(n, i.path("metadata").path("version").asText());
            requested.put(n, i.path("requested").asBoolean() ? "" : "a dependency");
        }
        return new Resolution(pins, requested, List.copyOf(unresolvable), "");
    }

    /** The pins whose markers hold on {@code t}, evaluated by its own pip's {@code packaging}. */
    private Resolution fromLock(Toolchain t, List<Requirement> pins, Path work) {
        try {
            Path in = work.resolve("markers.json");
            MAPPER.writeValue(in.toFile(), pins.stream().map(Requirement::marker).toList());
            Processes.Run r = Processes.run(List.of(t.python().toString(), "-I", "-c", """
                    import json, sys
                    from pip._vendor.packaging.markers import Marker
                    ms = json.load(open(sys.argv[1]))
                    print("FTM-MARKERS " + json.dumps([Marker(m).evaluate({"extra": ""}) if m else True for m in ms]))
                    """, in.toString()), work, env(), null, l -> { }, Duration.ofMinutes(1));
            String line = r.output().lines().filter(l -> l.startsWith("FTM-MARKERS ")).findFirst().orElse(null);
            if (line == null) {
                return new Resolution(Map.of(), Map.of(), List.of(), "the lock file's markers cannot be evaluated: "
                        + r.tail(3));
            }
            JsonNode holds = MAPPER.readTree(line.substring("FTM-MARKERS ".length()));
            Map<String, String> out = new LinkedHashMap<>();
            Map<String, String> requested = new LinkedHashMap<>();
            for (int i = 0; i < pins.size(); i++) {
                if (holds.get(i).asBoolean()) {
                    out.put(pins.get(i).name(), pins.get(i).pinned());
                    requested.put(pins.get(i).name(), "");
                }
            }
            return new Resolution(out, requested, List.of(), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> env() {
        return Installer.pipEnvironment(pipCache);
    }

    static String normalize(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }
}
