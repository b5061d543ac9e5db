package dev.ftmatrix.service;

import dev.ftmatrix.core.PatchedBuild;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;

import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.scanner.ProjectScanner;
import dev.ftmatrix.builder.PinnedLayer;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm patch DIR}: one project on one free-threaded variant, as pinned and with each too-old binding layer upgraded. */
@Command(name = "patch", mixinStandardHelpOptions = true,
        description = {"Build and test a project as its binding layers are pinned, then again with each pin that rules",
                "out free-threading upgraded (Cython, pybind11 incl. vendored copies, nanobind, PyO3, cffi), and say",
                "what the maintainer should change. Runs in a container when FTM_SANDBOX allows (./ftm sets auto)."})
final class PatchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "the project's directory (with pyproject.toml or setup.py)")
    Path dir;

    @Option(names = "--variant", defaultValue = "cp313t", description = "a free-threaded variant. Default: ${DEFAULT-VALUE}")
    String variant;

    @Option(names = "--python", paramLabel = "PATH", description = "the interpreter to use for the variant")
    Path python;

    @Option(names = "--escape-hatch", description = "force an old layer instead of upgrading it, where the layer has a"
            + " way (PyO3: UNSAFE_PYO3_BUILD_FREE_THREADED=1)")
    boolean escapeHatch;

    @Option(names = "--json", paramLabel = "FILE", description = "write the result as JSON")
    Path json;

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (default: CACHE/work/patch-NAME)")
    Path work;

    @Override
    public Integer call() throws Exception {
        OutputPaths.file("--json", json);
        OutputPaths.directory("--work", work);
        Variant v = Variants.parseOne("--variant", variant);
        if (!v.freeThreaded()) {
            throw new UserInputException("--variant " + variant + ": patched rebuilds are for free-threaded variants; use e.g. "
                    + v.id() + "t");
        }
        Path project = dir.toAbsolutePath().normalize();
        if (!Files.exists(project.resolve("pyproject.toml")) && !Files.exists(project.resolve("setup.py"))) {
            throw new UserInputException("project " + dir + ": no pyproject.toml or setup.py there; point at the project's root");
        }
        ConsoleProgress progress = new ConsoleProgress(System.err);
        Path cache = Toolchains.defaultCacheRoot();
        Toolchain tc = new ToolchainResolver(new Toolchains(cache, progress), python == null ? List.of() : List.of(python),
                true, progress).resolve(v);
        if (tc == null) {
            throw new UserInputException("no " + v + " toolchain: pass --python /path/to/" + v.executableName());
        }
        Sandbox box = Sandbox.fromEnvironment(SandboxLimits.DEFAULT, progress);
        Path w = work != null ? work : cache.resolve("work").resolve("patch-" + project.getFileName());
        // the project's own test requirements, read as `ftm check` reads them, so the suite runs as it would there
        ProjectScan scan = new ProjectScanner(SourceScan.scan(project).declaredModules())
                .scan(new FetchedSource(project, "path", project.toString()));
        List<String> testRequirements = scan.tests() == null ? List.of() : scan.tests().requirements();
        if (!testRequirements.isEmpty()) {
            progress.report(project.getFileName() + ": test requirements " + testRequirements);
        }
        PatchedRebuild.Result r = new PatchedRebuild(project, tc, w).sandbox(box).pipCache(cache.resolve("pip"))
                .testRequirements(testRequirements).bindings(scan.bindingLayers()).escapeHatch(escapeHatch)
                .progress(progress).call();

        System.out.println(project.getFileName() + " on " + v + " (sandbox: " + box.kind() + ")");
        for (PinnedLayer p : r.pins()) {
            System.out.println("  " + p.layer().name() + " " + p.pinned() + " in " + p.where()
                    + (p.tooOld() ? ": too old for free-threading" : ": allows free-threading"));
        }
        System.out.printf("  %-24s %-17s %s%n", "as pinned", r.pinnedDecision().verdict().word(), r.pinnedDecision().reason());
        for (PatchedBuild b : r.patched()) {
            System.out.printf("  %-24s %-17s %s%n", "with " + b.layer() + " " + b.to(), b.patched().word(), b.patchedReason());
            System.out.println("      change: " + b.how());
            System.out.println("      advice: " + b.advice());
        }
        if (r.pins().stream().noneMatch(PinnedLayer::tooOld)) {
            System.out.println("  no pinned binding layer rules out free-threading: nothing to patch");
        }
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("schema", 1);
            out.put("project", project.getFileName().toString());
            out.put("variant", v.id());
            out.put("sandbox", box.kind());
            List<Map<String, Object>> pins = new ArrayList<>();
            r.pins().forEach(p -> pins.add(Map.of("layer", p.layer().name(), "pinned", p.pinned(), "where", p.where(),
                    "tooOld", p.tooOld())));
            out.put("pins", pins);
            out.put("pinned", Map.of("verdict", r.pinnedDecision().verdict(), "reason", r.pinnedDecision().reason()));
            out.put("patched", r.patched());
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            CheckCommand.JSON.writeValue(json.toFile(), out);
        }
        return Ftm.OK;
    }
}
