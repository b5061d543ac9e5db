package dev.ftmatrix.scanner;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.internal.PackageCache;
import dev.ftmatrix.scanner.internal.SimpleIndex;
import dev.ftmatrix.core.WheelFilename;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Ground truth from the index: the extension modules ({@code *.so}) of a release's own Linux CPython wheel, compared
 * with the modules a scan says the wheel ships. The wheel is downloaded once, verified, and kept under
 * {@code CACHE/wheels}.
 */
public final class WheelModules {
    /** {@code m.cpython-313-x86_64-linux-gnu.so}, {@code m.abi3.so}, or a bare {@code m.so}. */
    private static final Pattern EXTENSION = Pattern.compile(
            "^([A-Za-z_][\\w]*)(?:\\.(?:cpython-3\\d+t?(?:-[\\w-]+)?|abi3))?\\.so$");
    /** Where a wheel keeps files that install into site-packages under another directory name. */
    private static final Pattern DATA_LIB = Pattern.compile("^[^/]+\\.data/(?:purelib|platlib)/");
    /** The Python a measured scan is compared against first (the baseline was cp313). */
    private static final int PREFERRED_MINOR = 13;
    private final SimpleIndex index;
    private final PackageCache downloads;

    public WheelModules(Path cacheRoot, URI indexUrl, Progress progress) {
        var http = SimpleIndex.defaultClient();
        this.index = new SimpleIndex(indexUrl, http);
        this.downloads = new PackageCache(cacheRoot.resolve("wheels"), http, progress);
    }

    /** The scan's shipped modules against the wheel of the scan's name and version. */
    public ProjectScan.AgainstWheel compare(ProjectScan scan) {
        if (scan.name() == null || scan.version() == null) {
            return none("the source names no project and version to look up");
        }
        Optional<SimpleIndex.IndexFile> wheel = linuxCpythonWheel(index.files(scan.name()), scan.version());
        if (wheel.isEmpty()) {
            return none("the index has no Linux CPython wheel of " + scan.name() + " " + scan.version());
        }
        List<String> inWheel = modulesOf(downloads.get(wheel.get()));
        TreeSet<String> scanned = new TreeSet<>();
        scan.shippedModules().forEach(m -> scanned.add(m.name()));
        List<String> missing = inWheel.stream().filter(m -> !scanned.contains(m)).toList();
        List<String> extra = scanned.stream().filter(m -> !inWheel.contains(m)).toList();
        return new ProjectScan.AgainstWheel(wheel.get().filename(), inWheel, missing, extra,
                missing.isEmpty() && extra.isEmpty(), null);
    }

    private static ProjectScan.AgainstWheel none(String why) {
        return new ProjectScan.AgainstWheel(null, List.of(), List.of(), List.of(), false, why);
    }

    /**
     * The release's wheel for Linux x86_64 CPython: cp313's own ABI first, else the newest GIL-build ABI, else the
     * stable ABI, else a free-threaded one; a pure-Python wheel ({@code py3-none-any}) when that is all there is.
     */
    static Optional<SimpleIndex.IndexFile> linuxCpythonWheel(List<SimpleIndex.IndexFile> files, String version) {
        SimpleIndex.IndexFile best = null;
        int bestScore = Integer.MIN_VALUE;
        for (SimpleIndex.IndexFile f : files) {
            Optional<WheelFilename> w = WheelFilename.parse(f.filename());
            if (w.isEmpty() || f.yanked() || !normalVersion(w.get().version()).equals(normalVersion(version))) {
                continue;
            }
            for (WheelFilename.Tag t : w.get().tags()) {
                int score = score(t);
                if (score > bestScore) {
                    bestScore = score;
                    best = f;
                }
            }
        }
        return bestScore == Integer.MIN_VALUE ? Optional.empty() : Optional.of(best);
    }

    private static int score(WheelFilename.Tag t) {
        boolean linux = t.platform().contains("linux");
        boolean any = t.platform().equals("any");
        if (!linux && !any) {
            return Integer.MIN_VALUE;
        }
        int arch = t.platform().endsWith("x86_64") ? 2 : any ? 0 : 1;
        int manylinux = t.platform().startsWith("manylinux") ? 1 : 0;
        Matcher abi = Pattern.compile("cp3(\\d+)(t?)").matcher(t.abi());
        int kind;
        if (abi.matches()) {
            int minor = Integer.parseInt(abi.group(1));
            boolean ft = !abi.group(2).isEmpty();
            kind = ft ? 100 + minor : minor == PREFERRED_MINOR ? 1000 : 500 + minor;
        } else if (t.abi().equals("abi3")) {
            kind = 300;
        } else if (t.abi().equals("none")) {
            kind = 10;
        } else {
            return Integer.MIN_VALUE;   // PyPy and other interpreters
        }
        return kind * 10 + arch * 2 + manylinux;
    }

    private static String normalVersion(String v) {
        return v.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** The dotted names of the wheel's extension modules, sorted; bundled shared libraries are not modules. */
    public static List<String> modulesOf(Path wheel) {
        TreeSet<String> out = new TreeSet<>();
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                moduleName(e.getName()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UserInputException("the wheel " + wheel + " is not a readable zip file: " + e.getMessage()
                    + "; delete it from the cache and retry", e);
        }
        return new ArrayList<>(out);
    }

    /** The import name of a wheel entry when it is an extension module. */
    static Optional<String> moduleName(String entry) {
        String path = DATA_LIB.matcher(entry).replaceFirst("");
        if (path.endsWith("/") || path.contains(".dist-info/") || path.contains(".data/")) {
            return Optional.empty();
        }
        List<String> parts = List.of(path.split("/"));
        // auditwheel's pkg.libs/ and other non-package directories hold libraries, not importable modules
        if (parts.subList(0, parts.size() - 1).stream().anyMatch(p -> !p.matches("[A-Za-z_]\\w*"))) {
            return Optional.empty();
        }
        String file = parts.getLast();
        Matcher m = EXTENSION.matcher(file);
        if (!m.matches() || file.startsWith("lib") && !file.contains(".cpython-") && !file.contains(".abi3.")) {
            return Optional.empty();
        }
        List<String> name = new ArrayList<>(parts.subList(0, parts.size() - 1));
        name.add(m.group(1));
        return Optional.of(String.join(".", name));
    }

    /** The comparison in one line, as {@code ftm scan} prints it. */
    public static String describe(ProjectScan.AgainstWheel a) {
        if (a.wheel() == null) {
            return a.note();
        }
        return a.wheel() + ": " + a.wheelModules().size() + " modules, " + (a.matches() ? "same as the scan"
                : "missing " + a.missing() + ", extra " + a.extra());
    }
}
