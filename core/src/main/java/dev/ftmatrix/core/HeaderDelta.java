package dev.ftmatrix.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What differs between a GIL build and the free-threaded build of one CPython version, measured from their own
 * headers and libraries: struct layouts, definitions that depend on {@code Py_GIL_DISABLED}, exported symbols, and
 * the guards that reject a configuration.
 *
 * @param schema the JSON schema version
 * @param version the CPython version, {@code 3.13.5}
 * @param gil the GIL toolchain, {@code cp313 3.13.5 (debian-source)}
 * @param ft the free-threaded toolchain
 * @param structs every public struct found in either build, with its layout in each ({@code differs} when not equal)
 * @param definitions macros, inline functions, declarations and pyconfig.h settings that differ between the builds
 * @param symbols exported functions and data of each libpython, and those only one exports
 * @param guards {@code #error} directives that reject a configuration involving Py_GIL_DISABLED
 */
public record HeaderDelta(int schema, String version, String gil, String ft, List<StructDelta> structs,
                          List<Definition> definitions, Symbols symbols, List<Guard> guards) {
    public static final int SCHEMA = 1;

    public HeaderDelta {
        structs = List.copyOf(structs);
        definitions = List.copyOf(definitions);
        guards = List.copyOf(guards);
    }

    /** The structs whose layout is not the same in both builds. */
    public List<StructDelta> differing() {
        return structs.stream().filter(StructDelta::differs).toList();
    }

    /** One struct: where it is declared and its layout per build (null where a build does not have it). */
    public record StructDelta(String name, String file, int line, Layout gil, Layout ft, boolean differs) {
        /** The fields whose offset is not the same in both builds, or that one build lacks. */
        public List<String> movedFields() {
            if (gil == null || ft == null) {
                return List.of();
            }
            LinkedHashSet<String> names = new LinkedHashSet<>(gil.fields().keySet());
            names.addAll(ft.fields().keySet());
            return names.stream().filter(n -> !Objects.equals(gil.fields().get(n), ft.fields().get(n))).toList();
        }
    }

    /** Size, alignment and field offsets in bytes, measured by compiling a probe against the build's headers. */
    public record Layout(long size, long align, Map<String, Long> fields) {
        public Layout {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /**
     * A name defined differently with and without Py_GIL_DISABLED.
     *
     * @param kind {@code macro}, {@code inline} (static inline function), {@code declaration} (PyAPI_FUNC/DATA), or
     *             {@code config} (pyconfig.h, which differs per build)
     * @param ftLine the line of the free-threaded definition, 0 when it has none
     * @param ft the free-threaded definition, whitespace collapsed; empty when it has none
     */
    public record Definition(String name, String kind, String file, int ftLine, String ft, int gilLine, String gil) {
    }

    /** Exported (defined, global) dynamic symbols of each libpython. */
    public record Symbols(String gilLibrary, String ftLibrary, int gilCount, int ftCount, List<String> onlyGil,
                          List<String> onlyFt) {
        public Symbols {
            onlyGil = List.copyOf(onlyGil);
            onlyFt = List.copyOf(onlyFt);
        }
    }

    /** An {@code #error} reached only in some configurations, e.g. the limited API on a free-threaded build. */
    public record Guard(String file, int line, String condition, String message) {
    }
}
