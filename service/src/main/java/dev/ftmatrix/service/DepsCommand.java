package dev.ftmatrix.service;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.abi.SarifWriter;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import dev.ftmatrix.wheels.DependencyCheck;
import dev.ftmatrix.wheels.DependencyReport;
import dev.ftmatrix.wheels.DependencyResult;
import dev.ftmatrix.wheels.WheelCheck;
import dev.ftmatrix.wheels.WheelVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm deps FILE}: which dependencies' published wheels keep the GIL off on a variant, and since when. */
@Command(name = "deps", mixinStandardHelpOptions = true,
        description = {"Resolve a dependency file for a variant (pip's resolver, wheels only; lock files: their pins where"
                + " their markers hold) and check each dependency's published wheel as ftm wheels does: is there one,"
                + " does it keep the GIL off (which modules turn it on), and the first release whose wheel does.",
                "FILE: requirements*.txt, pyproject.toml ([project] dependencies and [dependency-groups]), uv.lock,"
                        + " poetry.lock, pylock.toml."})
final class DepsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the dependency file")
    Path file;

    @Option(names = "--variant", defaultValue = "cp313t", description = "Default: ${DEFAULT-VALUE}")
    String variant;

    @Mixin
    ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

    @Option(names = "--fail-on", defaultValue = "reenables-gil,no-wheel",
            description = "verdicts that make the exit code 1 (with or without 'wheel-'). Default: ${DEFAULT-VALUE}")
    String failOn;

    @Option(names = "--probe", defaultValue = "4", paramLabel = "N",
            description = "releases checked per dependency to find its first ready one (0 to 20). Default: ${DEFAULT-VALUE}")
    int probe;

    @Option(names = "--jobs", defaultValue = "4", description = "dependencies checked at once (1 to 32). Default: ${DEFAULT-VALUE}")
    int jobs;

    @Option(names = "--store", paramLabel = "URL", description = "use and keep what is known: a release checked before"
            + " with these toolchains is read from the store, and every release checked (the pinned ones and the older"
            + " ones probed for the first ready release) is stored, as ftm wheels --store does: " + StoreLocation.HELP)
    String store;

    @Option(names = "--json", paramLabel = "FILE", description = "write the result as JSON (schema 1)")
    Path json;

    @Option(names = "--sarif", paramLabel = "FILE", description = "write each dependency that fails --fail-on as SARIF 2.1.0")
    Path sarif;

    @Override
    public Integer call() throws Exception {
        OutputPaths.file("--json", json);
        OutputPaths.file("--sarif", sarif);
        if (probe < 0 || probe > 20) {
            throw new UserInputException("--probe " + probe + ": give 0 to 20");
        }
        if (jobs < 1 || jobs > 32) {
            throw new UserInputException("--jobs " + jobs + ": give 1 to 32");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + " is not a file; give a requirements.txt, pyproject.toml, uv.lock,"
                    + " poetry.lock or pylock.toml");
        }
        Variant v = Variants.parseOne("--variant", variant);
        Set<WheelVerdict> failing = WheelsCommand.parseVerdicts("--fail-on", failOn);
        ConsoleProgress progress = new ConsoleProgress(System.err);
        WheelCheck wheels = WheelChecks.of(List.of(v), toolchains.choice(), progress);
        Path cache = Toolchains.defaultCacheRoot();
        ToolchainResolver resolver = toolchains.choice().resolver(cache, progress);
        Toolchain resolveWith = resolver.resolve(v.freeThreaded() ? v.withGil() : v);
        if (resolveWith == null) {
            resolveWith = resolver.resolve(v);
        }
        if (resolveWith == null) {
            throw new UserInputException("ftm deps: " + resolver.whySkipped(v));
        }
        DependencyReport report;
        try (WheelStore stored = store == null ? null : WheelStore.open(StoreLocation.parse(store, null))) {
            if (stored != null) {
                // what the store knows is not checked again (the first-ready search reads it too); the rest is kept
                wheels.onReport(r -> stored.put(r, wheels::toolchain)).stored((name, version)
                        -> stored.report(name, version, wheels.variants(), wheels::toolchain));
            }
            report = new DependencyCheck(wheels, v, resolveWith, cache, cache.resolve("work/wheels"))
                    .budget(probe).jobs(jobs).progress(progress).call(file);
        }
        if (Interrupts.interrupted()) {
            return 130;
        }
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            CheckCommand.JSON.writeValue(json.toFile(), report);
        }
        List<Finding> findings = new ArrayList<>();
        boolean failed = false;
        boolean ftmFailed = false;
        System.out.printf("%s on %s (resolved with %s)%n", file, v, report.resolvedWith());
        System.out.printf("  %-24s %-16s %-20s %-14s %s%n", "dependency", "version", "verdict", "first ready", "detail");
        for (DependencyResult d : report.dependencies()) {
            boolean bad = failing.contains(d.verdict());
            failed |= bad;
            ftmFailed |= d.verdict() == WheelVerdict.ERROR;
            String detail = d.verdict() == WheelVerdict.WHEEL_REENABLES_GIL ? String.join(", ", d.gilReenabledBy())
                    : d.verdict() == WheelVerdict.WHEEL_READY ? (d.wheel() != null && d.wheel().modules().isEmpty()
                    ? "no extension module" : d.wheel() == null ? "" : d.wheel().modules().size() + " modules") : d.reason();
            System.out.printf("  %-24s %-16s %-20s %-14s %s%s%n", d.name() + (d.direct() ? "" : " *"), d.version(),
                    d.verdict(), d.firstReady().version().isEmpty() ? "-"
                            : (d.firstReady().exact() ? "" : "<=") + d.firstReady().version(), detail,
                    bad ? "  [fails the check]" : "");
            if (bad) {
                findings.add(new Finding(d.verdict().word(), Finding.Severity.ERROR, file.toString(), d.line(), 1,
                        d.name() + "==" + d.version(), d.name() + " " + d.version() + " on " + v + ": " + d.verdict()
                        + ": " + d.reason(), d.firstReady().version().isEmpty() ? "look for a release or fork whose "
                        + v + " wheel keeps the GIL off (" + d.firstReady().note() + ")"
                        : "require " + d.name() + ">=" + d.firstReady().version()));
            }
        }
        System.out.println("  (* a dependency of a dependency)");
        if (sarif != null) {
            new SarifWriter("0.1.0", "").write(findings, List.of(
                    new RuleInfo("wheel-reenables-gil", "a dependency whose wheel turns the GIL back on when"
                            + " imported", Finding.Severity.ERROR),
                    new RuleInfo("no-wheel", "a dependency with no wheel for the variant", Finding.Severity.ERROR),
                    new RuleInfo("wheel-import-fails", "a dependency whose wheel does not import",
                            Finding.Severity.ERROR),
                    new RuleInfo("wheel-mistagged", "a dependency whose wheel's binaries do not fit its tag",
                            Finding.Severity.ERROR)), sarif);
        }
        return ftmFailed ? Ftm.INTERNAL : failed ? Ftm.CHECK_FAILED : Ftm.OK;
    }
}
