package dev.ftmatrix.builder.patches;

import dev.ftmatrix.builder.BindingLayer;
import dev.ftmatrix.builder.PinnedLayer;
import dev.ftmatrix.scanner.ProjectScan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The binding layers a project pins, from the scanner's reading of its tree (build requirements, vendored copies,
 * Cargo dependencies): which of them {@code binding-layers.json} knows, and whether each pin is too old.
 */
public final class PinnedLayers {
    /** A requirement's specifier: what follows the name and extras, before any marker. */
    private static final Pattern SPECIFIER = Pattern.compile("^[A-Za-z0-9._-]+\\s*(\\[[^\\]]*\\])?\\s*([^;]*)");

    private PinnedLayers() {
    }

    public static List<PinnedLayer> of(List<ProjectScan.Binding> scanned) {
        List<PinnedLayer> out = new ArrayList<>();
        for (BindingLayer l : KnownLayers.all()) {
            for (ProjectScan.Binding b : scanned) {
                if (b.name().equals(l.name())) {
                    out.addAll(pinned(l, b));
                }
            }
        }
        return out;
    }

    private static List<PinnedLayer> pinned(BindingLayer l, ProjectScan.Binding b) {
        if (l.kind().equals("cargo")) {
            List<ProjectScan.Pin> pins = b.pins().stream().filter(p -> l.crates().contains(p.crate())).toList();
            if (pins.isEmpty()) {
                return List.of();
            }
            // pyo3 and pyo3-ffi move together; the oldest pin decides
            ProjectScan.Pin oldest = pins.stream().min(Comparator.comparing(PinnedLayers::bare, Versions::compare))
                    .orElseThrow();
            return List.of(new PinnedLayer(l, oldest.text(), oldest.file(),
                    Versions.compare(bare(oldest), l.minFreeThreaded()) < 0, pins));
        }
        List<PinnedLayer> out = new ArrayList<>();
        for (ProjectScan.Pin p : b.pins()) {
            if (p.file().equals("pyproject.toml")) {
                Matcher m = SPECIFIER.matcher(p.text());
                String spec = m.find() ? m.group(2).strip() : "";
                out.add(new PinnedLayer(l, spec, "pyproject.toml [build-system] requires",
                        Versions.excludesFrom(spec, l.minFreeThreaded()), List.of(p)));
            } else if (!l.vendoredMarker().isEmpty() && b.vendoredAt() != null) {
                out.add(new PinnedLayer(l, p.text(), b.vendoredAt() + " (vendored)",
                        Versions.compare(p.text(), l.minFreeThreaded()) < 0, List.of(p)));
            }
        }
        return out;
    }

    private static String bare(ProjectScan.Pin p) {
        return p.text().strip().replaceAll("^[\\^~=]+", "");
    }
}
