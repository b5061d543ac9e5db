package dev.ftmatrix.builder.patches;

import dev.ftmatrix.builder.PinnedLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the binding layers a project pins: build requirements, vendored copies, Cargo dependencies. Runs no code. */
public final class LayerDetector {
    private LayerDetector() {
    }

    public static List<PinnedLayer> detect(Path project) {
        List<PinnedLayer> out = new ArrayList<>();
        String pyproject = read(project.resolve("pyproject.toml"));
        String cargo = read(project.resolve("Cargo.toml"));
        for (BindingLayer l : BindingLayers.all()) {
            if (l.kind().equals("cargo")) {
                List<CargoPins.Pin> pins = CargoPins.find(cargo, l.crates());
                if (!pins.isEmpty()) {
                    // pyo3 and pyo3-ffi move together; the oldest pin decides
                    CargoPins.Pin oldest = pins.stream().min((a, b) -> Versions.compare(bare(a), bare(b))).orElseThrow();
                    out.add(new PinnedLayer(l, oldest.version(), "Cargo.toml",
                            Versions.compare(bare(oldest), l.minFreeThreaded()) < 0));
                }
                continue;
            }
            Matcher m = requirement(l).matcher(pyproject);
            if (m.find()) {
                String spec = m.group(2) == null ? "" : m.group(2).strip();
                out.add(new PinnedLayer(l, spec, "pyproject.toml [build-system] requires",
                        Versions.excludesFrom(spec, l.minFreeThreaded())));
            }
            if (!l.vendoredMarker().isEmpty()) {
                vendoredCopy(project, l).ifPresent(out::add);
            }
        }
        return out;
    }

    private static String bare(CargoPins.Pin p) {
        return p.version().strip().replaceAll("^[\\^~=]+", "");
    }

    /** A quoted requirement on the layer's package: {@code "Cython>=3.0,<3.1"}. */
    static Pattern requirement(BindingLayer l) {
        return Pattern.compile("[\"'](?i:" + Pattern.quote(l.packageName()) + ")(?![\\w.-])(\\[[^\\]]*\\])?\\s*([^\"';]*)[^\"']*[\"']");
    }

    /** The vendored copy's root directory (the one holding the marker file) and its version from the headers. */
    static java.util.Optional<PinnedLayer> vendoredCopy(Path project, BindingLayer l) {
        try (Stream<Path> s = Files.walk(project, 6)) {
            return s.filter(p -> p.toString().endsWith("/" + l.vendoredMarker()) && !p.toString().contains("/build/"))
                    .findFirst().map(marker -> {
                        Path root = marker;
                        for (int i = 0; i < Path.of(l.vendoredMarker()).getNameCount(); i++) {
                            root = root.getParent();
                        }
                        String h = read(marker);
                        String v = macro(h, "MAJOR") + "." + macro(h, "MINOR") + "." + macro(h, "PATCH");
                        return new PinnedLayer(l, v, project.relativize(root) + " (vendored)",
                                Versions.compare(v, l.minFreeThreaded()) < 0);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String macro(String header, String part) {
        Matcher m = Pattern.compile("#define\\s+PYBIND11_VERSION_" + part + "\\s+(\\S+)").matcher(header);
        return m.find() ? m.group(1).replaceAll("[^0-9a-z]", "") : "0";
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
