package dev.ftmatrix.service;

import dev.ftmatrix.abi.SarifWriter;
import dev.ftmatrix.abi.ScanReports;
import dev.ftmatrix.abi.SourceReport;
import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.core.Finding;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm abi scan|diff}: source rules for free-threaded builds, and the GIL/free-threaded header delta. */
@Command(name = "abi", mixinStandardHelpOptions = true,
        description = "Check sources against free-threaded CPython, and compare a GIL build's headers with its free-threaded twin's.",
        subcommands = {AbiCommand.Scan.class})
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

        @Override
        public Integer call() {
            SourceReport r = new SourceScan(path).skipVendored(!includeVendored).call();
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
}
