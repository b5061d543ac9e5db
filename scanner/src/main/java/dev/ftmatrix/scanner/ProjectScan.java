package dev.ftmatrix.scanner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scanner learnt from a project's source without building it (JSON schema {@value #SCHEMA}): how it
 * builds, its extension modules and binding layers, whether each module declares that it runs without the GIL, and
 * which wheels the index already has per variant.
 *
 * @param declaresFreeThreading true when every extension module declares the GIL unused, false when one does not,
 *        null when unknown: a module's declaration could not be read, or no extension module is built for Linux
 *        CPython (a pure-Python wheel there: nothing to declare; {@link #hasExtensionModules()} tells which)
 * @param publishedWheels null when not looked up (no index, or the project's name is unknown)
 * @param againstWheel the scanned modules compared with the release's own Linux CPython wheel; null when not asked
 */
@JsonPropertyOrder({"schema", "source", "fingerprint", "name", "version", "declaresFreeThreading", "modules"})
public record ProjectScan(int schema, String source, String fingerprint, String name, String version,
                          Boolean declaresFreeThreading, List<Module> modules, Backend buildBackend,
                          List<String> buildRequires, List<Binding> bindingLayers, LimitedApi limitedApi,
                          Classifier freeThreadingClassifier, Tests tests, Wheels publishedWheels,
                          AgainstWheel againstWheel) {
    public static final int SCHEMA = 1;

    public ProjectScan {
        modules = List.copyOf(modules);
        buildRequires = List.copyOf(buildRequires);
        bindingLayers = List.copyOf(bindingLayers);
    }

    /** The same scan with the index's wheels added. */
    public ProjectScan withPublishedWheels(Wheels wheels) {
        return new ProjectScan(schema, source, fingerprint, name, version, declaresFreeThreading, modules,
                buildBackend, buildRequires, bindingLayers, limitedApi, freeThreadingClassifier, tests, wheels,
                againstWheel);
    }

    /** The same scan with its comparison against the release's wheel added. */
    public ProjectScan withAgainstWheel(AgainstWheel against) {
        return new ProjectScan(schema, source, fingerprint, name, version, declaresFreeThreading, modules,
                buildBackend, buildRequires, bindingLayers, limitedApi, freeThreadingClassifier, tests, publishedWheels,
                against);
    }

    /** Whether the Linux CPython wheel installs an extension module whose declaration counts (role {@code shipped}). */
    public boolean hasExtensionModules() {
        return modules.stream().anyMatch(m -> Module.SHIPPED.equals(m.role()));
    }

    /**
     * What the Linux CPython wheel installs as {@code .so} files: the project's own modules, those only its tests use,
     * and C libraries it loads with ctypes or cffi.
     */
    public List<Module> shippedModules() {
        return modules.stream().filter(m -> Module.SHIPPED.equals(m.role()) || Module.TEST_SHIPPED.equals(m.role())
                || Module.NATIVE_LIBRARY.equals(m.role())).toList();
    }

    /**
     * One extension module.
     *
     * @param name dotted import name as far as the source tells ({@code markupsafe._speedups})
     * @param bindingLayer {@code c-api}, {@code cython}, {@code pybind11}, {@code nanobind}, {@code pyo3},
     *        {@code pyo3-ffi} (a hand-written module definition in Rust), {@code cffi}
     * @param declaration {@code not-used} | {@code used} | {@code absent} | {@code unknown}: what the module says about
     *        the GIL when a free-threaded interpreter imports it; {@value #NOT_A_MODULE} for a
     *        {@value #NATIVE_LIBRARY}, which CPython never imports
     * @param mechanism how it says so ({@code Py_mod_gil slot}, {@code PyUnstable_Module_SetGIL},
     *        {@code freethreading_compatible directive}, {@code pymodule(gil_used = false)}, ...) or why it is unknown
     * @param evidence {@code file:line} of the declaration, else of the module's definition
     * @param role {@value #SHIPPED} when the Linux CPython wheel installs it; else why it is not counted:
     *        {@value #TEST_SHIPPED} (installed, used only by tests), {@value #NATIVE_LIBRARY} (installed, but a C
     *        library loaded with ctypes or cffi, no extension module), {@code test}, {@code example},
     *        {@code other-platform} (Windows, macOS, BSD, ...), {@code other-interpreter} (PyPy), {@code optional}
     *        (built only when a build option asks for it) or {@code not-built} (a definition no build file builds)
     * @param roleEvidence {@code file:line} of what gave the role (the platform branch, the test directory), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Module(String name, List<String> sources, String bindingLayer, String declaration, String mechanism,
                         String evidence, String role, String roleEvidence) {
        public static final String SHIPPED = "shipped";
        /** Installed by the wheel, but only the project's tests use it ({@code numpy._core._umath_tests}). */
        public static final String TEST_SHIPPED = "test-shipped";
        /**
         * Installed as a {@code .so}, but with no {@code PyInit_} on Linux: a C library the package loads with ctypes
         * or cffi ({@code Crypto.Hash._MD5} of pycryptodome). It cannot re-enable the GIL, so it does not count.
         */
        public static final String NATIVE_LIBRARY = "native-library";
        /** The declaration of a {@value #NATIVE_LIBRARY}: there is no module to declare anything. */
        public static final String NOT_A_MODULE = "not-a-module";

        public Module {
            sources = List.copyOf(sources);
            role = role == null ? SHIPPED : role;
        }

        /** The same module with another role. */
        public Module withRole(String newRole, String why) {
            return new Module(name, sources, bindingLayer, declaration, mechanism, evidence, newRole, why);
        }
    }

    /**
     * The scanned modules against the extension modules ({@code *.so}) of the release's own Linux CPython wheel.
     *
     * @param wheel the wheel's file name, or null when the index has none to compare with
     * @param wheelModules the dotted names of the wheel's extension modules
     * @param missing in the wheel, not found by the scan
     * @param extra found by the scan as shipped, not in the wheel
     * @param matches true when both lists are the same
     * @param note why there is no comparison, else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AgainstWheel(String wheel, List<String> wheelModules, List<String> missing, List<String> extra,
                               boolean matches, String note) {
        public AgainstWheel {
            wheelModules = List.copyOf(wheelModules);
            missing = List.copyOf(missing);
            extra = List.copyOf(extra);
        }
    }

    /** The PEP 517 build backend: {@code setuptools}, {@code meson-python}, {@code scikit-build-core}, ... */
    public record Backend(String name, String module, String evidence) {
    }

    /**
     * A binding layer the project uses, with what pins it.
     *
     * @param requirement the build requirement that brings it ({@code Cython>=3.0.10}), or null
     * @param version an exact version when the source tells one (Cargo.lock, a vendored copy's headers, generated C)
     * @param vendoredAt the directory of a copy kept in the source tree, or null
     * @param pins where the project pins the layer's version, each as written there (what a patch rewrites)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Binding(String name, String requirement, String version, String vendoredAt, String evidence,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Pin> pins) {
        public Binding {
            pins = pins == null ? List.of() : List.copyOf(pins);
        }

        public Binding(String name, String requirement, String version, String vendoredAt, String evidence) {
            this(name, requirement, version, vendoredAt, evidence, List.of());
        }
    }

    /**
     * One place a binding layer's version is pinned.
     *
     * @param file the file, relative to the project's root ({@code pyproject.toml}, {@code Cargo.toml}, a vendored
     *     copy's {@code include/pybind11/detail/common.h})
     * @param line its 1-based line
     * @param crate for a Cargo pin, the crate pinned ({@code pyo3}, {@code pyo3-ffi}); else null
     * @param text the pin as written on that line, without quotes: a requirement ({@code Cython>=3.0,<3.1}), a
     *     crate's version ({@code 0.22.6}), a vendored copy's version from its headers ({@code 2.12.0})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pin(String file, int line, String crate, String text) {
    }

    /** Whether the project builds for the limited API / stable ABI ({@code abi3}), with where it says so. */
    public record LimitedApi(boolean used, List<String> evidence) {
        public LimitedApi {
            evidence = List.copyOf(evidence);
        }
    }

    /** The {@code Programming Language :: Python :: Free Threading :: N - Level} trove classifier. */
    public record Classifier(String level, String evidence) {
    }

    /**
     * Where the tests are and what they need.
     *
     * @param directories test directories holding {@code test_*.py} files
     * @param requirements test requirements from extras, dependency groups and requirements files
     * @param requirementSources where those came from ({@code pyproject.toml [project.optional-dependencies] test})
     * @param tox {@code tox.ini} (or the file with a {@code [tool.tox]} table), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tests(List<String> directories, List<String> requirements, List<String> requirementSources,
                        String tox) {
        public Tests {
            directories = List.copyOf(directories);
            requirements = List.copyOf(requirements);
            requirementSources = List.copyOf(requirementSources);
        }
    }

    /**
     * The wheels the index has for the project.
     *
     * @param version the scanned version, or null when the source does not tell it
     * @param variants per variant ({@code cp313t}) for that version: whether a wheel installs there
     * @param byVersion per release version: the variants some wheel of it serves
     */
    public record Wheels(String index, String version, Map<String, VariantWheels> variants,
                         Map<String, List<String>> byVersion) {
        public Wheels {
            variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
            byVersion = Collections.unmodifiableMap(new LinkedHashMap<>(byVersion));
        }
    }

    /** The wheels of one version that a variant can install: their files and platforms. */
    public record VariantWheels(boolean available, List<String> platforms, List<String> files) {
        public VariantWheels {
            platforms = List.copyOf(platforms);
            files = List.copyOf(files);
        }
    }
}
