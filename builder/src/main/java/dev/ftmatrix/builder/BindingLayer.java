package dev.ftmatrix.builder;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * One binding layer and the first version of it that builds free-threaded extension modules, from
 * {@code binding-layers.json}.
 *
 * @param kind {@code requirement} (a pip build requirement), {@code vendored-or-requirement} (also copied into the
 *     tree), {@code cargo} (a Rust crate)
 * @param crates for a {@code cargo} layer, the crates that pin it (pyo3 and pyo3-ffi); else empty
 * @param escapeHatchEnv environment that forces an older version to build anyway (unsupported)
 * @param minPython the first CPython version the support exists for, empty for any free-threaded one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BindingLayer(String name, String packageName, String kind, String minFreeThreaded, String upgradeTo,
                           String vendoredMarker, List<String> crates, Map<String, String> escapeHatchEnv, String minPython, String advice) {
    public BindingLayer {
        escapeHatchEnv = escapeHatchEnv == null ? Map.of() : Map.copyOf(escapeHatchEnv);
        vendoredMarker = vendoredMarker == null ? "" : vendoredMarker;
        crates = crates == null ? List.of() : List.copyOf(crates);
        minPython = minPython == null ? "" : minPython;
    }
}
