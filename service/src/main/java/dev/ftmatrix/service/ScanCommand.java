package dev.ftmatrix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.scanner.ArchiveLimits;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.scanner.ProjectScanner;
import dev.ftmatrix.scanner.PublishedWheels;
import dev.ftmatrix.scanner.ScanCache;
import dev.ftmatrix.scanner.SourceFetcher;
import dev.ftmatrix.scanner.SourcePin;
import dev.ftmatrix.scanner.WheelModules;
import dev.ftmatrix.toolchain.Toolchains;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm scan SOURCE}: what a project's source says about free-threading, without building it. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Read a project's source without building it: build backend and requirements, extension "
                + "modules and binding layers, whether each module declares the GIL unused, the free-threading "
                + "classifier, limited-API use, test layout, and the wheels the index has per variant.",
                "An unchanged source (same commit or sha256) is not scanned again."})
final class ScanCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Past this many modules that do not count, they are summed up by role on screen. */
    private static final int MAX_LISTED = 20;

    @Parameters(paramLabel = "SOURCE", description = "pypi:NAME==VERSION, git+URL, an sdist/zip/wheel file, "
            + "a project directory or path:DIR")
    String source;

    @Option(names = "--ref", description = "branch, tag or commit of a git source")
    String ref = "";

    @Option(names = "--subdirectory", description = "the project's directory inside the source")
    String subdirectory = "";

    @Option(names = "--json", paramLabel = "FILE", description = "write the scan as JSON (schema 1)")
    Path json;

    @Option(names = "--index-url", paramLabel = "URL", defaultValue = "https://pypi.org/simple/",
            description = "the package index's Simple API (PEP 691 JSON). Default: ${DEFAULT-VALUE}")
    URI indexUrl;

    @Option(names = "--variants", defaultValue = "cp313,cp313t,cp314,cp314t",
            description = "variants to look for published wheels for. Default: ${DEFAULT-VALUE}")
    String variants;

    @Option(names = "--no-wheels", description = "do not ask the index for published wheels")
    boolean noWheels;

    @Option(names = "--against-wheel", description = "compare the scanned modules with the extension modules (*.so) "
            + "of the release's own Linux CPython wheel, downloaded from the index: missing and extra modules")
    boolean againstWheel;

    @Option(names = "--rescan", description = "scan again even when the source is unchanged")
    boolean rescan;

    @Option(names = "--max-archive-entries", defaultValue = "50000",
            description = "refuse archives with more entries. Default: ${DEFAULT-VALUE}")
    long maxEntries;

    @Option(names = "--max-archive-bytes", defaultValue = "536870912",
            description = "refuse archives that unpack to more bytes. Default: ${DEFAULT-VALUE}")
    long maxBytes;

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (default: CACHE/work/scan)")
    Path work;

    @Option(names = "--cache", paramLabel = "DIR", description = "cache of downloads, git mirrors and kept scans "
            + "(default: $FTM_CACHE, else ~/.cache/ftm)")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        OutputPaths.file("--json", json);
        OutputPaths.directory("--work", work);
        List<Variant> vs = Variants.parseList("--variants", variants);
        ConsoleProgress progress = new ConsoleProgress(System.err);
        Path cache = cacheDir != null ? cacheDir : Toolchains.defaultCacheRoot();
        Path workDir = (work != null ? work : cache.resolve("work").resolve("scan")).resolve("src");
        ArchiveLimits limits;
        try {
            limits = new ArchiveLimits(maxEntries, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--max-archive-*: " + e.getMessage());
        }
        SourceFetcher fetcher = new SourceFetcher(cache, progress, indexUrl, limits);
        ScanCache scans = new ScanCache(cache.resolve("scans"));
        Instant t0 = Instant.now();
        Optional<SourcePin> pin = fetcher.pin(source, ref, subdirectory);
        ProjectScan scan = rescan || pin.isEmpty() ? null : scans.get(pin.get()).orElse(null);
        if (scan == null) {
            FetchedSource src = fetcher.fetch(source, ref, subdirectory, workDir);
            progress.report("fetched " + src.pinned() + " (" + src.fingerprint() + ") in " + millis(t0) + " ms");
            Instant t1 = Instant.now();
            scan = rescan ? null : scans.get(src.pin()).orElse(null);   // a directory's content hash is known now
            if (scan == null) {
                scan = new ProjectScanner(SourceScan.scan(src.dir()).declaredModules()).scan(src);
                scans.put(src.pin(), scan);
                progress.report("scanned in " + millis(t1) + " ms");
            } else {
                progress.report(src.fingerprint() + " unchanged; the kept scan is used");
            }
        } else {
            progress.report(pin.get().fingerprint() + " unchanged; the kept scan is used (" + millis(t0) + " ms)");
        }
        String indexNote = null;
        if (!noWheels && scan.name() != null) {
            Instant t2 = Instant.now();
            try {
                scan = scan.withPublishedWheels(new PublishedWheels(indexUrl).lookup(scan.name(), scan.version(), vs));
                progress.report("published wheels looked up in " + millis(t2) + " ms");
            } catch (PublishedWheels.NotOnIndex e) {
                // a project of one's own need not be published: a fact about it, not a failed scan
                indexNote = "  published wheels: none, '" + scan.name() + "' is not on the index " + indexUrl;
            } catch (PublishedWheels.IndexUnreachable e) {
                if (source.startsWith("pypi:")) {
                    throw e;
                }
                indexNote = "  published wheels: not looked up, the index " + indexUrl + " cannot be reached ("
                        + e.getCause().getClass().getSimpleName() + "); the scan above is complete";
            }
        }
        if (againstWheel) {
            Instant t3 = Instant.now();
            scan = scan.withAgainstWheel(new WheelModules(cache, indexUrl, progress).compare(scan));
            progress.report("compared with the wheel in " + millis(t3) + " ms");
        }
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            JSON.writeValue(json.toFile(), scan);
        }
        print(scan);
        if (indexNote != null) {
            System.out.println(indexNote);
        }
        return Ftm.OK;
    }

    private static long millis(Instant since) {
        return Duration.between(since, Instant.now()).toMillis();
    }

    /** yes, no, unknown; or, for a wheel without extension modules on Linux, that there is nothing to declare. */
    static String declares(ProjectScan s) {
        if (s.declaresFreeThreading() != null) {
            return s.declaresFreeThreading() ? "yes" : "no";
        }
        if (s.hasExtensionModules()) {
            return "unknown";
        }
        long libraries = s.modules().stream().filter(m -> ProjectScan.Module.NATIVE_LIBRARY.equals(m.role())).count();
        String others = s.modules().stream().filter(m -> !ProjectScan.Module.NATIVE_LIBRARY.equals(m.role()))
                .collect(Collectors.groupingBy(ProjectScan.Module::role, TreeMap::new,
                        Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return "nothing to declare: the scan finds no extension module built for Linux CPython"
                + (libraries > 0 ? "; its " + libraries + " .so files are C libraries loaded with ctypes or cffi" : "")
                + (others.isEmpty() ? "" : "; not counted: " + others);
    }

    private static void print(ProjectScan s) {
        System.out.println((s.name() == null ? "(unnamed project)" : s.name()) + (s.version() == null ? "" : " "
                + s.version()) + "  " + s.fingerprint());
        if (s.buildBackend() != null) {
            System.out.println("  build backend: " + s.buildBackend().name() + " (" + s.buildBackend().module() + ")");
        }
        for (ProjectScan.Binding b : s.bindingLayers()) {
            System.out.println("  binding layer: " + b.name() + (b.requirement() != null ? " " + b.requirement() : "")
                    + (b.version() != null ? " (" + b.version() + ")" : "")
                    + (b.vendoredAt() != null ? " vendored at " + b.vendoredAt() : ""));
        }
        System.out.println("  declares free-threading: " + declares(s));
        List<ProjectScan.Module> notCounted = s.modules().stream()
                .filter(m -> !ProjectScan.Module.SHIPPED.equals(m.role())).toList();
        boolean many = notCounted.size() > MAX_LISTED;   // a test suite's own Cython modules can be hundreds
        for (ProjectScan.Module m : s.modules()) {
            if (many && notCounted.contains(m)) {
                continue;
            }
            System.out.printf("    %-30s %-9s %-9s %s  %s%s%n", m.name(), m.bindingLayer(), m.declaration(),
                    m.mechanism(), m.evidence() == null ? "" : m.evidence(), ProjectScan.Module.SHIPPED.equals(m.role())
                            ? "" : "  (" + m.role() + (m.roleEvidence() == null ? "" : " " + m.roleEvidence())
                            + ": not counted)");
        }
        if (many) {
            Map<String, Long> byRole = new TreeMap<>(notCounted.stream().collect(
                    Collectors.groupingBy(ProjectScan.Module::role, Collectors.counting())));
            System.out.println("    not counted: " + byRole.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", ")) + " (listed in --json)");
        }
        if (s.againstWheel() != null) {
            System.out.println("  against the wheel: " + WheelModules.describe(s.againstWheel()));
        }
        if (s.publishedWheels() != null && s.publishedWheels().version() != null) {
            StringBuilder sb = new StringBuilder("  wheels of " + s.publishedWheels().version() + " on the index:");
            s.publishedWheels().variants().forEach((v, w) -> sb.append(' ').append(v).append(w.available() ? " yes," : " no,"));
            System.out.println(sb.substring(0, sb.length() - 1));
        }
    }
}
