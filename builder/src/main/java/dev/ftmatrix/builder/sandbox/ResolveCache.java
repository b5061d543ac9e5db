package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.support.Digests;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code pip wheel} of the same requirements for the same interpreter put into a wheelhouse, kept for a while
 * ({@link #FRESH}) with the wheels themselves: the build and harness requirements most projects share
 * ({@code setuptools}, {@code pytest}, ...), the same project's again on a rerun, cost a copy instead of a pip run
 * (several seconds each, mostly index queries). After {@link #FRESH} the index is asked again, so a new release of a
 * requirement is picked up as pip would pick it up.
 */
public final class ResolveCache {
    /** How long a resolution stands. */
    static final Duration FRESH = Duration.ofHours(6);
    private static final Pattern WHEEL = Pattern.compile("(?:Saved|File was already downloaded) (\\S+\\.whl)\\s*$",
            Pattern.MULTILINE);

    private final Path root;

    /**
     * The machine's, {@code CACHE/resolve} beside the pip cache that {@code env}'s {@code PIP_CACHE_DIR} names; none
     * (every run asks the index) without one.
     */
    public static Optional<ResolveCache> beside(Map<String, String> env) {
        String pip = env.get("PIP_CACHE_DIR");
        return pip == null ? Optional.empty()
                : Optional.of(new ResolveCache(Path.of(pip).toAbsolutePath().resolveSibling("resolve")));
    }

    /** {@code pip}, through the cache beside {@code env}'s pip cache when there is one. */
    public static Processes.Run run(Map<String, String> env, Path python, List<String> cmd, Path dir,
                                    String extraKey, Supplier<Processes.Run> pip) {
        return beside(env).map(c -> c.run(python, cmd, dir, extraKey, pip)).orElseGet(pip);
    }

    /** A cache under {@code root}: {@code keys/} and {@code wheels/}. */
    public ResolveCache(Path root) {
        this.root = root;
    }

    /**
     * {@code cmd} (a {@code pip wheel ... --wheel-dir dir ...} of {@code python}) run, or its wheels copied from an
     * earlier run of the same command for the same interpreter within {@link #FRESH}.
     */
    public Processes.Run run(Path python, List<String> cmd, Path dir, String extraKey, Supplier<Processes.Run> pip) {
        String key = key(python, cmd, dir, extraKey);
        Path entry = root.resolve("keys").resolve(key);
        try {
            if (Files.isRegularFile(entry) && Files.getLastModifiedTime(entry).toInstant()
                    .isAfter(Instant.now().minus(FRESH))) {
                List<String> names = Files.readAllLines(entry).stream().filter(l -> !l.isBlank()).toList();
                if (names.stream().allMatch(n -> Files.isRegularFile(root.resolve("wheels").resolve(n)))) {
                    Files.createDirectories(dir);
                    for (String n : names) {
                        Path to = dir.resolve(n);
                        if (!Files.exists(to)) {
                            Files.copy(root.resolve("wheels").resolve(n), to);
                        }
                    }
                    return new Processes.Run(0, false, "ftm: " + names.size() + " wheel(s) of an identical pip run"
                            + " within " + FRESH.toHours() + " h, from " + entry + ":\n" + String.join("\n", names) + "\n", 0);
                }
            }
            Processes.Run run = pip.get();
            if (run.ok()) {
                keep(run.output(), dir, entry);
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("resolve cache " + root, e);
        }
    }

    private void keep(String output, Path dir, Path entry) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = WHEEL.matcher(output);
        while (m.find()) {
            names.add(Path.of(m.group(1)).getFileName().toString());
        }
        if (names.isEmpty() || !names.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
            return;   // pip said nothing we can read back: nothing kept, the next run asks the index again
        }
        Path wheels = Files.createDirectories(root.resolve("wheels"));
        for (String n : names) {
            Path to = wheels.resolve(n);
            if (!Files.exists(to)) {
                Path tmp = Files.createTempFile(wheels, n, ".part");
                Files.copy(dir.resolve(n), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.createDirectories(entry.getParent());
        Path tmp = Files.createTempFile(entry.getParent(), entry.getFileName().toString(), ".part");
        Files.writeString(tmp, String.join("\n", names) + "\n");
        Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The interpreter (its real executable: a venv's python is its toolchain's), the command with the wheelhouse's own
     * path left out, and what else decides the result (constraints, the index settings of the environment).
     */
    static String key(Path python, List<String> cmd, Path dir, String extraKey) {
        List<String> parts = new ArrayList<>();
        try {
            parts.add(python.toRealPath().toString());
        } catch (IOException e) {
            parts.add(python.toString());
        }
        for (String a : cmd.subList(1, cmd.size())) {
            parts.add(a.equals(dir.toString()) ? "<wheelhouse>" : a);
        }
        parts.add(extraKey);
        // where pip looks decides what it finds
        for (String v : List.of("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONSTRAINT")) {
            parts.add(v + "=" + System.getenv().getOrDefault(v, ""));
        }
        return Digests.sha256(String.join("\0", parts));
    }
}
