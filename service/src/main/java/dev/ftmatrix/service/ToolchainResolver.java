package dev.ftmatrix.service;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the toolchain for each variant: an interpreter given with {@code --python}, else an installed one, else (when
 * allowed) one built from Debian's source package. A variant left without one gets the reason it was skipped.
 */
final class ToolchainResolver {
    /** Versions whose source Debian serves on our machines; others need --python or ftm toolchain install --source. */
    private static final Set<String> DEBIAN_VERSIONS = Set.of("3.13");

    private final Toolchains toolchains;
    private final Map<Variant, Toolchain> given = new HashMap<>();
    private final boolean install;
    private final Map<Variant, String> skipped = new HashMap<>();
    private final Progress progress;

    ToolchainResolver(Toolchains toolchains, List<Path> pythons, boolean install, Progress progress) {
        this.toolchains = toolchains;
        this.install = install;
        this.progress = progress;
        for (Path p : pythons) {
            Toolchain t = Toolchains.probe(p);
            given.put(t.variant(), t);
        }
    }

    /** The toolchain for {@code v}, or null; then {@link #whySkipped} says why. */
    synchronized Toolchain resolve(Variant v) {
        if (given.containsKey(v)) {
            return given.get(v);
        }
        var found = toolchains.find(v);
        if (found.isPresent()) {
            return found.get();
        }
        if (install && DEBIAN_VERSIONS.contains(v.version())) {
            try {
                progress.report("[" + v + "] no toolchain yet: building one from Debian's python" + v.version() + " source");
                Toolchain t = toolchains.install(v, "debian");
                return t;
            } catch (UserInputException | IllegalStateException e) {
                skipped.put(v, "no toolchain: " + e.getMessage());
                return null;
            }
        }
        skipped.put(v, "no " + v + " toolchain: pass --python /path/to/" + v.executableName() + ", or run `ftm toolchain"
                + " install " + v + " --source Python-" + v.version() + ".x.tar.xz`");
        return null;
    }

    synchronized String whySkipped(Variant v) {
        return skipped.getOrDefault(v, "no toolchain");
    }
}
