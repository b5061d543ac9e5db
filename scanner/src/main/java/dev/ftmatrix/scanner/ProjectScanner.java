package dev.ftmatrix.scanner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.core.SourceFacts;
import dev.ftmatrix.scanner.internal.BindingLayers;
import dev.ftmatrix.scanner.internal.BuildDeclarations;
import dev.ftmatrix.scanner.internal.BuildSystems;
import dev.ftmatrix.scanner.internal.CargoFacts;
import dev.ftmatrix.scanner.internal.ExtensionModules;
import dev.ftmatrix.scanner.internal.ModuleDefinition;
import dev.ftmatrix.scanner.internal.ModuleDefinitions;
import dev.ftmatrix.scanner.internal.ProjectFacts;
import dev.ftmatrix.scanner.internal.PyprojectToml;
import dev.ftmatrix.scanner.internal.SourceTree;
import dev.ftmatrix.scanner.internal.TestLayouts;
import dev.ftmatrix.support.CargoDependency;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a fetched source without building or running anything and tells what {@link ProjectScan} holds: modules as
 * the build system defines them (setup.py parsed by Python's {@code ast} and evaluated as on Linux CPython, meson
 * and CMake files evaluated from the root, maturin's module), each with its role. What each
 * extension module declares about the GIL is not read here but given: the abi-checker's reading, passed in by the
 * service, so that one implementation judges declarations.
 */
public final class ProjectScanner {
    private final List<SourceFacts.DeclaredModule> declarations;

    /** @param declarations the GIL declarations the abi-checker read from the same tree */
    public ProjectScanner(List<SourceFacts.DeclaredModule> declarations) {
        this.declarations = List.copyOf(declarations);
    }

    private static final Pattern PKG_INFO = Pattern.compile("(?m)^(Name|Version):\\s*(\\S+)\\s*$");
    private static final Pattern SETUP_NAME = Pattern.compile("\\bname\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']");

    /** Scans {@code source}'s tree. The result has no published wheels; see {@link PublishedWheels}. */
    public ProjectScan scan(FetchedSource source) {
        SourceTree tree = SourceTree.of(source.dir());
        JsonNode pyproject = PyprojectToml.read(tree, "pyproject.toml");
        List<String> requires = BuildSystems.requires(tree, pyproject);
        List<ModuleDefinition> defs = ModuleDefinitions.find(tree);
        CargoDependency pyo3 = CargoFacts.pyo3(tree);
        List<ProjectScan.Module> modules = ExtensionModules.assemble(tree, BuildDeclarations.find(tree, pyproject),
                defs, declarations);
        NameVersion id = nameAndVersion(tree, pyproject);
        return new ProjectScan(ProjectScan.SCHEMA, source.pinned(), source.fingerprint(), id.name(),
                id.version(), ExtensionModules.declaresFreeThreading(modules), modules,
                BuildSystems.backend(tree, pyproject), requires, BindingLayers.find(tree, requires,
                        defs.stream().filter(d -> !SourceTree.notShipped(d.file())).toList(), pyo3),
                ProjectFacts.limitedApi(tree), ProjectFacts.classifier(tree), TestLayouts.find(tree, pyproject, id.name()),
                null, null);
    }

    private record NameVersion(String name, String version) {
    }

    /** From {@code [project]}, else the sdist's PKG-INFO, else setup.py's {@code name=}. */
    private static NameVersion nameAndVersion(SourceTree tree, JsonNode pyproject) {
        String name = pyproject.path("project").path("name").asText(null);
        String version = pyproject.path("project").path("version").asText(null);
        if ((name == null || version == null) && tree.exists("PKG-INFO")) {
            Matcher m = PKG_INFO.matcher(tree.text("PKG-INFO"));
            while (m.find()) {
                if (m.group(1).equals("Name") && name == null) {
                    name = m.group(2);
                } else if (m.group(1).equals("Version") && version == null) {
                    version = m.group(2);
                }
            }
        }
        if (name == null && tree.exists("setup.py")) {
            Matcher m = SETUP_NAME.matcher(tree.text("setup.py"));
            name = m.find() ? m.group(1) : null;
        }
        return new NameVersion(name, version);
    }
}
