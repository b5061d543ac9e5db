package dev.ftmatrix.scanner;

import dev.ftmatrix.abi.SourceScan;

/** Scans as the service wires it: the abi-checker reads the GIL declarations, the scanner the rest. */
final class TestScans {
    private TestScans() {
    }

    static ProjectScan scan(FetchedSource src) {
        return new ProjectScanner(SourceScan.scan(src.dir()).declaredModules()).scan(src);
    }
}
