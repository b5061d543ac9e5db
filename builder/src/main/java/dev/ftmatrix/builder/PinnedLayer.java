package dev.ftmatrix.builder;

import dev.ftmatrix.scanner.ProjectScan;
import java.util.List;

/**
 * A binding layer as a project pins it.
 *
 * @param pinned what the project says: a specifier ({@code >=3.0,<3.1}) or a version ({@code 2.12.0})
 * @param where where it says so: {@code pyproject.toml [build-system] requires}, {@code extern/pybind11 (vendored)},
 *     {@code Cargo.toml}
 * @param tooOld the pin rules out every version that builds free-threaded
 * @param at the places in the tree that pin it, as the scanner read them (what a patch rewrites)
 */
public record PinnedLayer(BindingLayer layer, String pinned, String where, boolean tooOld, List<ProjectScan.Pin> at) {
    public PinnedLayer {
        at = List.copyOf(at);
    }
}
