package dev.ftmatrix.core;

import java.nio.file.Path;

/**
 * An installed interpreter prefix for one variant.
 *
 * @param python the interpreter, {@code PREFIX/bin/python3.13t}
 * @param libpython the shared library the harness loads, {@code libpython3.13t.so.1.0}
 * @param include the directory holding {@code Python.h}
 * @param provider how it got here: {@code python} (a user's), {@code tarball}, {@code debian-source}
 * @param sourceSha256 the sha256 of the source archive it was built from; empty for a user's interpreter
 */
public record Toolchain(Variant variant, String fullVersion, Path prefix, Path python, Path libpython, Path include,
                        String provider, String sourceSha256) {
    /** A short label for results: {@code cp313t 3.13.5 (debian-source)}. */
    public String label() {
        return variant.id() + " " + fullVersion + " (" + provider + ")";
    }
}
