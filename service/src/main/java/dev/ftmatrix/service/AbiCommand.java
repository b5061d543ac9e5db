package dev.ftmatrix.service;

import dev.ftmatrix.abi.AbiDelta;
import dev.ftmatrix.abi.BinaryCheck;
import dev.ftmatrix.abi.DeltaReports;
import dev.ftmatrix.abi.SarifWriter;
import dev.ftmatrix.abi.ScanReports;
import dev.ftmatrix.abi.SourceReport;
import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.dashboard.SiteRenderer;
import dev.ftmatrix.toolchain.Toolchains;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm abi scan|diff}: source rules for free-threaded builds, and the GIL/free-threaded header delta. */
@Command(name = "abi", mixinStandardHelpOptions = true,
        description = "Check sources and built modules against free-threaded CPython, and compare a GIL build's"
                + " headers with its free-threaded twin's.",
        subcommands = {AbiCommand.Scan.class, AbiCommand.Diff.class, AbiCommand.Binary.class})
final class AbiCommand {

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Report code that breaks or risks breaking free-threaded builds (borrowed references,"
                    + " ob_refcnt access, the limited API, shared static state) and each module's GIL declaration.",
                    "Exit code 1 when a finding of severity error is reported."})
    static final class Scan implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "the project's source directory")
        Path path;

        @Option(names = "--json", paramLabel = "FILE", description = "write findings and modules as JSON (schema 1)")
        Path json;

        @Option(names = "--sarif", paramLabel = "FILE", description = "write findings as SARIF 2.1.0 (GitHub code scanning)")
        Path sarif;

        @Option(names = "--sarif-prefix", paramLabel = "DIR", defaultValue = "",
                description = "PATH's location inside the repository, prefixed to SARIF file paths")
        String sarifPrefix;

        @Option(names = "--include-vendored", description = "also scan third_party/, vendor/, subprojects/...")
        boolean includeVendored;

        @Option(names = "--abi", paramLabel = "GIL,FT", description = "also compare the project's own copies of CPython"
                + " structs with the layouts measured from these toolchains, e.g. cp313,cp313t (rule struct-mirror)")
        String abi;

        @Override
        public Integer call() {
            OutputPaths.file("--json", json);
            OutputPaths.file("--sarif", sarif);
            SourceScan scan = new SourceScan(path).skipVendored(!includeVendored);
            if (abi != null) {
                List<Variant> pair = Variants.parseList("--abi", abi);
                if (pair.size() != 2) {
                    throw new UserInputException("--abi takes two variants, e.g. --abi cp313,cp313t; got '" + abi + "'");
                }
                Builds b = new Builds(new ToolchainChoice(List.of(), true));
                scan.against(b.delta(b.toolchain(pair.get(0)), b.toolchain(pair.get(1)), false));
            }
            SourceReport r = scan.call();
            if (json != null) {
                ScanReports.writeJson(r, json);
            }
            if (sarif != null) {
                new SarifWriter("0.1.0", sarifPrefix).write(r.findings(), SourceScan.rules(), sarif);
            }
            System.out.print(ScanReports.text(r));
            boolean errors = r.findings().stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR);
            return errors ? Ftm.CHECK_FAILED : Ftm.OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Measure what differs between a GIL build and its free-threaded twin: struct layouts"
                    + " (compiled probes against each build's headers), definitions that depend on Py_GIL_DISABLED,"
                    + " symbols only one libpython exports, and guards that reject a configuration.",
                    "The delta is cached per toolchain pair in CACHE/abi/."})
    static final class Diff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "GIL", description = "the GIL variant, e.g. cp313")
        String gil;

        @Parameters(index = "1", paramLabel = "FT", description = "the free-threaded variant, e.g. cp313t")
        String ft;

        @Option(names = "--json", paramLabel = "FILE", description = "write the delta as JSON (schema 1)")
        Path json;

        @Option(names = "--html", paramLabel = "FILE", description = "write the delta as an HTML section for a page")
        Path html;

        @Mixin
        ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

        @Option(names = "--refresh", description = "measure again even when the delta is cached")
        boolean refresh;

        @Override
        public Integer call() {
            OutputPaths.file("--json", json);
            OutputPaths.file("--html", html);
            Builds b = new Builds(toolchains.choice());
            HeaderDelta d = b.delta(b.toolchain(Variants.parse(gil)), b.toolchain(Variants.parse(ft)), refresh);
            if (json != null) {
                DeltaReports.writeJson(d, json);
            }
            if (html != null) {
                writeHtml(d, html);
            }
            System.out.print(DeltaReports.text(d));
            return Ftm.OK;
        }

        /** The section the site's {@code abi.html} shows, rendered by the dashboard's template. */
        private static void writeHtml(HeaderDelta d, Path out) {
            try {
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, SiteRenderer.section(d));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out, e);
            }
        }
    }

    @Command(name = "binary", mixinStandardHelpOptions = true,
            description = {"Check built extension modules and wheels against one build: the module suffix is one its"
                    + " interpreter imports, wheel tags/WHEEL/METADATA agree, every C-API symbol a module imports exists"
                    + " in its libpython, and no module was compiled against the other build's headers.",
                    "Exit code 1 when a finding of severity error is reported."})
    static final class Binary implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "a wheel, an extension module, or a directory of them")
        Path path;

        @Option(names = "--variant", required = true, paramLabel = "VARIANT", description = "the build they are for, e.g. cp313t")
        String variant;

        @Option(names = "--json", paramLabel = "FILE", description = "write the findings as JSON (schema 1)")
        Path json;

        @Option(names = "--sarif", paramLabel = "FILE", description = "write the findings as SARIF 2.1.0")
        Path sarif;

        @Mixin
        ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

        @Override
        public Integer call() {
            OutputPaths.file("--json", json);
            OutputPaths.file("--sarif", sarif);
            Builds b = new Builds(toolchains.choice());
            Variant v = Variants.parse(variant);
            Toolchain target = b.toolchain(v);
            // the twin build, when there is one, shows modules compiled against the other build's headers
            Toolchain other = v.minor() >= 13 ? b.resolver.resolve(v.freeThreaded() ? v.withGil()
                    : new Variant(v.major(), v.minor(), true)) : null;
            BinaryCheck check = new BinaryCheck(target);
            if (other != null) {
                check.delta(v.freeThreaded() ? b.delta(other, target, false) : b.delta(target, other, false));
            }
            List<Finding> findings = check.check(path);
            SourceReport report = new SourceReport(path.toString(), 0, 0, 0, findings, List.of());
            if (json != null) {
                ScanReports.writeJson(report, json);
            }
            if (sarif != null) {
                new SarifWriter("0.1.0", "").write(findings, BinaryCheck.rules(), sarif);
            }
            for (Finding f : findings) {
                System.out.println(f.rule() + " (" + f.severity().name().toLowerCase(Locale.ROOT) + ")  " + f.file());
                System.out.println("  " + f.why());
                System.out.println("  fix: " + f.fix());
            }
            System.out.println(findings.size() + " findings for " + target.label());
            return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR) ? Ftm.CHECK_FAILED : Ftm.OK;
        }
    }

    /** The toolchains and the cached header deltas the abi commands work on. */
    static final class Builds {
        final ConsoleProgress progress = new ConsoleProgress(System.err);
        final Path cache = Toolchains.defaultCacheRoot();
        final ToolchainResolver resolver;

        Builds(ToolchainChoice toolchains) {
            this.resolver = toolchains.resolver(cache, progress);
        }

        Toolchain toolchain(Variant v) {
            Toolchain t = resolver.resolve(v);
            if (t == null) {
                throw new UserInputException("abi: " + resolver.whySkipped(v));
            }
            return t;
        }

        HeaderDelta delta(Toolchain gil, Toolchain ft, boolean refresh) {
            return new AbiDelta(gil, ft).cacheRoot(cache).refresh(refresh).progress(progress).call();
        }
    }
}
