package dev.ftmatrix.builder.patches;

import dev.ftmatrix.builder.Patch;
import dev.ftmatrix.builder.PinnedLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

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
                        + " (" + pin.pinned() + ") with " + l.packageName() + " " + l.upgradeTo() + " from PyPI", java.util.Map.of());
            }
            if (l.kind().equals("cargo")) {
                Path cargo = tree.resolve("Cargo.toml");
                String s = Files.readString(cargo);
                String patched = CargoPins.rewrite(s, l.crates(), l.upgradeTo());
                if (patched.equals(s)) {
                    throw new IllegalStateException("no " + l.crates() + " version to rewrite in " + cargo);
                }
                Files.writeString(cargo, patched);
                Files.deleteIfExists(tree.resolve("Cargo.lock"));
                return new Patch(l.upgradeTo(), "Cargo.toml: " + l.packageName() + " \"" + pin.pinned() + "\" -> \""
                        + l.upgradeTo() + "\" (Cargo.lock re-resolved)", java.util.Map.of());
            }
            Path pyproject = tree.resolve("pyproject.toml");
            String s = Files.readString(pyproject);
            Matcher m = LayerDetector.requirement(l).matcher(s);
            if (!m.find()) {
                throw new IllegalStateException("no " + l.packageName() + " requirement in " + pyproject);
            }
            String old = m.group();
            String quote = old.substring(0, 1);
            String now = quote + l.packageName() + ">=" + l.upgradeTo() + quote;
            Files.writeString(pyproject, s.substring(0, m.start()) + now + s.substring(m.end()));
            return new Patch(l.upgradeTo(), "pyproject.toml [build-system] requires: " + old + " -> " + now, java.util.Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pre-support escape hatch instead of an upgrade (PyO3 before 0.23), when the layer has one. */
    public static Patch escapeHatch(PinnedLayer pin) {
        return new Patch(pin.pinned(), "kept " + pin.layer().packageName() + " " + pin.pinned() + ", forced with "
                + pin.layer().escapeHatchEnv(), pin.layer().escapeHatchEnv());
    }
}
