package dev.ftmatrix.abi.source;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** What kind of file a source is, which decides how comments and strings are removed and which rules apply. */
public enum Lang {
    /** C or C++ source and headers. */
    C,
    /** Rust (PyO3, pyo3-ffi, rust-numpy...). */
    RUST,
    /** Cython {@code .pyx}/{@code .pxd}/{@code .pxi}. */
    CYTHON,
    /**
     * Build configuration: setup.py and top-level build scripts, pyproject.toml, setup.cfg, meson.build, CMakeLists.txt,
     * Cargo.toml, Cargo.lock. Strings are kept, since that is where macros and directives are written.
     */
    BUILD;

    private static final Set<String> C_EXT = Set.of("c", "h", "cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "inc");
    private static final Set<String> BUILD_NAMES = Set.of("setup.py", "pyproject.toml", "setup.cfg", "meson.build",
            "cmakelists.txt", "cargo.toml", "cargo.lock", "meson.options", "meson_options.txt");

    /** The kind of {@code relative} (a path under the scan root), or null when no rule reads it. */
    public static Lang of(Path relative) {
        String name = relative.getFileName().toString().toLowerCase(Locale.ROOT);
        if (BUILD_NAMES.contains(name) || name.endsWith(".cmake")
                || (name.endsWith(".py") && relative.getNameCount() == 1)) {
            return BUILD;
        }
        if (name.endsWith(".pyx.in") || name.endsWith(".pyx.tp") || name.endsWith(".pxi.in")) {
            return CYTHON;   // Tempita templates of Cython sources (numpy, scikit-learn, siphash24)
        }
        if (name.endsWith(".c.src") || name.endsWith(".cpp.src") || name.endsWith(".h.src")) {
            return C;   // numpy's templated C: the module definition is written in the template
        }
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (C_EXT.contains(ext)) {
            return C;
        }
        return switch (ext) {
            case "rs" -> RUST;
            case "pyx", "pxd", "pxi" -> CYTHON;
            default -> null;
        };
    }
}
