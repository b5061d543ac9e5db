package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.scanner.ProjectScan;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The PEP 517 build backend and build requirements, from {@code pyproject.toml}, else {@code setup.py}/{@code setup.cfg}. */
public final class BuildSystems {
    /** Backend module prefixes and the names users know them by. */
    private static final Map<String, String> BACKENDS = Map.of(
            "setuptools", "setuptools", "mesonpy", "meson-python", "scikit_build_core", "scikit-build-core",
            "maturin", "maturin", "hatchling", "hatch", "flit_core", "flit", "poetry", "poetry-core",
            "pdm", "pdm", "enscons", "enscons", "sipbuild", "sip");
    /** What pip assumes without a {@code [build-system]} table (PEP 517/518). */
    private static final List<String> LEGACY_REQUIRES = List.of("setuptools>=40.8.0");

    private BuildSystems() {
    }

    /** The backend; null when the tree has no Python build file at all. */
    public static ProjectScan.Backend backend(SourceTree tree, JsonNode pyproject) {
        String module = pyproject.path("build-system").path("build-backend").asText("");
        if (!module.isEmpty()) {
            String evidence = tree.find("pyproject.toml", Pattern.compile("(?m)^\\s*build-backend\\s*="))
                    .orElse("pyproject.toml");
            return new ProjectScan.Backend(nameOf(module), module, evidence);
        }
        for (String f : List.of("pyproject.toml", "setup.py", "setup.cfg")) {
            if (tree.exists(f)) {
                // pip builds these with setuptools' legacy backend
                return new ProjectScan.Backend("setuptools", "setuptools.build_meta:__legacy__", f);
            }
        }
        return null;
    }

    /** The build requirements as written. */
    public static List<String> requires(SourceTree tree, JsonNode pyproject) {
        JsonNode req = pyproject.path("build-system").path("requires");
        if (req.isArray()) {
            return PyprojectToml.strings(req);
        }
        return tree.exists("setup.py") || tree.exists("setup.cfg") || tree.exists("pyproject.toml")
                ? LEGACY_REQUIRES : List.of();
    }

    static String nameOf(String module) {
        String top = module.split("[.:]", 2)[0];
        return BACKENDS.getOrDefault(top, module);
    }
}
