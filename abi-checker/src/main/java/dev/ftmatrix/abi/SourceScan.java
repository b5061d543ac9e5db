package dev.ftmatrix.abi;

import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.abi.mirror.StructMirrors;
import dev.ftmatrix.abi.source.BorrowedReferenceRule;
import dev.ftmatrix.abi.source.GilDeclarations;
import dev.ftmatrix.abi.source.InternalApiRule;
import dev.ftmatrix.abi.source.Lang;
import dev.ftmatrix.abi.source.LimitedApiRule;
import dev.ftmatrix.abi.source.MutableStaticRule;
import dev.ftmatrix.abi.source.ObjectHeaderRule;
import dev.ftmatrix.abi.source.SourceFile;
import dev.ftmatrix.abi.source.SourceRule;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks a project's sources and build configuration for what breaks or risks breaking free-threaded builds, and
 * reads each extension module's GIL declaration. {@code new SourceScan(dir).skipVendored(true).call()}.
 */
public final class SourceScan {
    /** Directories that hold no project source: VCS, environments, build output. */
    private static final Set<String> NEVER = Set.of(".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv",
            "node_modules", "__pycache__", "build", "dist", "target", ".eggs", "site-packages", ".mypy_cache",
            ".pytest_cache");
    /** Directories and files that are usually someone else's code copied in. */
    private static final Set<String> VENDORED = Set.of("third_party", "third-party", "thirdparty", "3rdparty", "vendor",
            "vendored", "_vendor", "extern", "external", "subprojects", "deps");
    private static final Set<String> VENDORED_FILES = Set.of("pythoncapi_compat.h");
    /** Bigger files are generated or amalgamated (sqlite3.c), not written by hand. */
    private static final long MAX_FILE = 4L << 20;

    private static final List<SourceRule> RULES = List.of(new BorrowedReferenceRule(), new ObjectHeaderRule(),
            new LimitedApiRule(), new MutableStaticRule());

    private final Path root;
    private boolean skipVendored = true;
    private HeaderDelta delta;
    /** The bytes of the files read: counted as they are read, not by encoding every text again (numpy: 60 MB). */
    private final LongAdder bytesRead = new LongAdder();

    public SourceScan(Path root) {
        this.root = root;
    }

    /** Scans {@code root} with the defaults. */
    public static SourceReport scan(Path root) {
        return new SourceScan(root).call();
    }

    /** Leave out {@code third_party/}, {@code vendor/}, {@code subprojects/}... and copies of pythoncapi_compat.h (default: true). */
    public SourceScan skipVendored(boolean skip) {
        this.skipVendored = skip;
        return this;
    }

    /**
     * Also check the project against a measured {@link HeaderDelta}: its own mirrors of CPython structs are laid out
     * per build and compared with the real ones ({@code struct-mirror}), and uses of private {@code _Py} names that
     * differ between the builds are reported ({@code build-dependent-internal}). Without a delta these do not run.
     */
    public SourceScan against(HeaderDelta headerDelta) {
        this.delta = headerDelta;
        return this;
    }

    /** Every rule id the scan can report, with its description and default severity. */
    public static List<RuleInfo> rules() {
        List<RuleInfo> out = new ArrayList<>();
        RULES.forEach(r -> out.addAll(r.describes()));
        out.add(new RuleInfo(GilDeclarations.MISSING,
                "extension module without a free-threading (GIL) declaration: importing it re-enables the GIL",
                Finding.Severity.WARNING));
        out.add(new RuleInfo(GilDeclarations.USED, "extension module that declares it needs the GIL",
                Finding.Severity.NOTE));
        out.add(StructMirrors.info());
        out.add(InternalApiRule.info());
        out.add(new RuleInfo(GilDeclarations.UNKNOWN, "GIL declaration whose value cannot be read statically",
                Finding.Severity.NOTE));
        return List.copyOf(out);
    }

    public SourceReport call() {
        if (!Files.isDirectory(root)) {
            throw new UserInputException("abi scan: " + root + " is not a directory; give a project's source tree");
        }
        long t0 = System.nanoTime();
        bytesRead.reset();
        List<Path> python = new ArrayList<>();
        List<Path> paths = walk(python);
        List<SourceFile> files = paths.parallelStream().map(this::read).filter(f -> f != null).toList();
        List<SourceRule> rules = new ArrayList<>(RULES);
        if (delta != null) {
            rules.add(new InternalApiRule(delta));
        }
        List<Finding> findings = new ArrayList<>(files.parallelStream()
                .flatMap(f -> rules.stream().flatMap(r -> r.check(f).stream())).toList());
        Map<String, String> pythonSources = pythonSources(python);
        GilDeclarations.Result gil = GilDeclarations.find(files, pythonSources);
        findings.addAll(gil.findings());
        if (delta != null) {
            findings.addAll(StructMirrors.check(files, pythonSources, delta));
        }
        findings.sort(Comparator.comparing(Finding::file).thenComparingInt(Finding::line)
                .thenComparingInt(Finding::column).thenComparing(Finding::rule));
        long bytes = bytesRead.sum();
        return new SourceReport(root.toString(), files.size(), bytes, (System.nanoTime() - t0) / 1_000_000, findings,
                gil.modules());
    }

    /** The .py files that define ctypes Structures or cffi modules or carry Cython directives, by path relative to the root. */
    private Map<String, String> pythonSources(List<Path> python) {
        Map<String, String> out = new TreeMap<>();
        for (Path p : python) {
            try {
                String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                if (text.contains("_fields_") || text.contains("set_source") || text.contains("cython:")) {
                    out.put(root.relativize(p).toString().replace('\\', '/'), text);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return out;
    }

    private List<Path> walk(List<Path> python) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = dir.getFileName().toString().toLowerCase(Locale.ROOT);
                    boolean skip = NEVER.contains(name) || name.endsWith(".egg-info")
                            || (skipVendored && VENDORED.contains(name));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && attrs.size() <= MAX_FILE && Lang.of(root.relativize(file)) != null
                            && !(skipVendored && VENDORED_FILES.contains(file.getFileName().toString()))) {
                        out.add(file);
                    } else if (attrs.isRegularFile() && attrs.size() <= MAX_FILE && file.toString().endsWith(".py")) {
                        python.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The file to check, or null for code generated by Cython (its .pyx is what the project wrote). */
    private SourceFile read(Path p) {
        try {
            byte[] raw = Files.readAllBytes(p);
            String text = new String(raw, StandardCharsets.UTF_8);
            Path rel = root.relativize(p);
            Lang lang = Lang.of(rel);
            if (lang == Lang.C && text.substring(0, Math.min(300, text.length())).contains("Generated by Cython")) {
                return null;
            }
            bytesRead.add(raw.length);
            return new SourceFile(rel.toString().replace('\\', '/'), lang, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
