package dev.ftmatrix.builder;

import dev.ftmatrix.builder.patches.PinnedLayers;
import dev.ftmatrix.builder.patches.Patcher;
import dev.ftmatrix.builder.patches.Versions;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.scanner.ProjectScan;
import java.nio.file.Path;
import java.util.List;

/** The patched binding layers: which layers a project pins, and a copy of its tree with one of them upgraded. */
public final class Patches {
    private Patches() {
    }

    /** The binding layers ftm knows that the scan found pinned, and where (the scanner's reading, not a new one). */
    public static List<PinnedLayer> pins(List<ProjectScan.Binding> scanned) {
        return PinnedLayers.of(scanned);
    }

    /** Whether {@code toolchain}'s CPython is one the layer's free-threading support exists for. */
    public static boolean appliesTo(PinnedLayer pin, Toolchain toolchain) {
        String min = pin.layer().minPython();
        return min.isEmpty() || Versions.compare(toolchain.variant().version(), min) >= 0;
    }

    /**
     * Upgrades {@code pin} in {@code tree} (a copy of the project), or, with {@code escapeHatch} and a layer that has
     * one, keeps it and forces it through the build's environment.
     *
     * @param python a host interpreter with pip, for downloads (a vendored copy's replacement)
     */
    public static Patch apply(PinnedLayer pin, Path tree, boolean escapeHatch, Path python, Path pipCache, Path log) {
        return escapeHatch && !pin.layer().escapeHatchEnv().isEmpty() ? Patcher.escapeHatch(pin)
                : new Patcher(python, pipCache, log).apply(pin, tree);
    }
}
