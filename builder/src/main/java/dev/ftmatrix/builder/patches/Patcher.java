package dev.ftmatrix.builder.patches;

import dev.ftmatrix.builder.BindingLayer;
import dev.ftmatrix.builder.Patch;
import dev.ftmatrix.builder.PinnedLayer;
import dev.ftmatrix.scanner.ProjectScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Upgrades one pinned binding layer in a copy of a project's tree; says what it changed. */
public final class Patcher {
    private final Path python;
    private final Path pipCache;
    private final Path log;

    /** @param python a host interpreter with pip, for downloads (a vendored copy's replacement) */
    public Patcher(Path python, Path pipCache, Path log) {
        this.python = python;
        this.pipCache = pipCache;
        this.log = log;
    }

    public Patch apply(PinnedLayer pin, Path tree) {
        BindingLayer l = pin.layer();
        try {
            if (pin.where().endsWith("(vendored)")) {
                Path dir = tree.resolve(pin.where().substring(0, pin.where().length() - " (vendored)".length()));
                var r = Pybind11Copies.install(l.upgradeTo(), dir, python, pipCache, log);
                if (!r.ok()) {
                    throw new IllegalStateException("cannot download pybind11 " + l.upgradeTo() + ": " + r.tail(5));
                }
                return new Patch(l.upgradeTo(), "replaced the vendored " + pin.where().replace(" (vendored)", "")
                        + " (" + pin.pinned() + ") with " + l.packageName() + " " + l.upgradeTo() + " from PyPI", Map.of());
            }
            if (l.kind().equals("cargo")) {
                for (ProjectScan.Pin p : pin.at()) {
                    rewrite(tree.resolve(p.file()), p, "\"" + l.upgradeTo() + "\"");
                    Path dir = tree.resolve(p.file()).getParent();
                    Files.deleteIfExists(dir.resolve("Cargo.lock"));
                }
                Files.deleteIfExists(tree.resolve("Cargo.lock"));
                return new Patch(l.upgradeTo(), pin.where() + ": " + l.packageName() + " \"" + pin.pinned() + "\" -> \""
                        + l.upgradeTo() + "\" (Cargo.lock re-resolved)", Map.of());
            }
            ProjectScan.Pin p = pin.at().getFirst();
            String quote = rewrite(tree.resolve(p.file()), p, null);
            String old = quote + p.text() + quote;
            String now = quote + l.packageName() + ">=" + l.upgradeTo() + quote;
            rewrite(tree.resolve(p.file()), p, now);
            return new Patch(l.upgradeTo(), "pyproject.toml [build-system] requires: " + old + " -> " + now, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pre-support escape hatch instead of an upgrade (PyO3 before 0.23), when the layer has one. */
    public static Patch escapeHatch(PinnedLayer pin) {
        return new Patch(pin.pinned(), "kept " + pin.layer().packageName() + " " + pin.pinned() + ", forced with "
                + pin.layer().escapeHatchEnv(), pin.layer().escapeHatchEnv());
    }

    /**
     * Replaces the quoted pin on its line with {@code now} (quotes included); with {@code now} null, changes nothing.
     * Returns the quote the file uses around it.
     */
    private static String rewrite(Path file, ProjectScan.Pin pin, String now) throws IOException {
        String[] lines = Files.readString(file).split("\n", -1);
        String line = pin.line() >= 1 && pin.line() <= lines.length ? lines[pin.line() - 1] : "";
        for (String q : List.of("\"", "'")) {
            int at = line.indexOf(q + pin.text() + q);
            if (at >= 0) {
                if (now != null) {
                    lines[pin.line() - 1] = line.substring(0, at) + now + line.substring(at + pin.text().length() + 2);
                    Files.writeString(file, String.join("\n", lines));
                }
                return q;
            }
        }
        throw new IllegalStateException("no " + pin.text() + " at " + pin.file() + ":" + pin.line() + " to rewrite");
    }
}
