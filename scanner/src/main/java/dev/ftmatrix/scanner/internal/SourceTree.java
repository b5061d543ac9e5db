package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.support.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project's files as the scanner sees them: one walk, paths relative to the root with {@code /}, text read once
 * and cached, and {@code file:line} evidence. Build output, VCS data and virtual environments are left out.
 */
public final class SourceTree {
    private static final Set<String> SKIP_DIRS = Set.of(".git", ".hg", ".svn", "build", "dist", "target", "__pycache__",
            ".venv", "venv", ".tox", ".nox", ".pytest_cache", ".eggs", "node_modules", ".mypy_cache");
    /** Directories whose code is not the package's own extension code: docs, examples, benchmarks, tests, tools. */
    private static final Pattern NOT_SHIPPED = Pattern.compile(
            "(^|/)(docs?|_?examples?|benchmarks?|bench|asv_bench|tests?|testing|tools|ci|scripts)/");
    /** Copies of binding libraries and other third-party code kept in the tree. */
    private static final Pattern VENDORED = Pattern.compile("(^|/)([^/]*vendor[^/]*|third[_-]?party|3rdparty|extern(al)?"
            + "|deps|subprojects|pythoncapi[_-]compat|pybind11|nanobind)/");
    private static final long MAX_TEXT = 4L * 1024 * 1024;
    private final Path root;
    private final List<String> files;
    private final Map<String, String> texts = new HashMap<>();

    private SourceTree(Path root, List<String> files) {
        this.root = root;
        this.files = List.copyOf(files);
    }

    public static SourceTree of(Path root) {
        List<String> out = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String n = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    return !dir.equals(root) && (SKIP_DIRS.contains(n) || n.endsWith(".egg-info"))
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        out.add(root.relativize(file).toString().replace('\\', '/'));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk the source tree " + root, e);
        }
        out.sort(null);
        return new SourceTree(root, out);
    }

    public Path root() {
        return root;
    }

    /** Every file, relative, sorted. */
    public List<String> files() {
        return files;
    }

    /** Files whose name ends with one of {@code suffixes} (lower-case match). */
    public List<String> withSuffix(String... suffixes) {
        return files.stream().filter(f -> {
            String l = f.toLowerCase(Locale.ROOT);
            for (String s : suffixes) {
                if (l.endsWith(s)) {
                    return true;
                }
            }
            return false;
        }).toList();
    }

    /** Files with exactly this file name, anywhere. */
    public List<String> named(String name) {
        return files.stream().filter(f -> f.equals(name) || f.endsWith("/" + name)).toList();
    }

    public boolean exists(String rel) {
        return files.contains(rel);
    }

    /** Docs, examples, benchmarks, tests and tools: their modules are not the package's. */
    public static boolean notShipped(String rel) {
        return NOT_SHIPPED.matcher(rel).find();
    }

    /** A vendored third-party copy: its code is not the project's own. */
    public static boolean vendored(String rel) {
        return VENDORED.matcher(rel).find();
    }

    /** The file's text (empty when it is missing or too large to be source). */
    public String text(String rel) {
        return texts.computeIfAbsent(rel, r -> {
            Path p = root.resolve(r);
            try {
                if (!Files.isRegularFile(p) || Files.size(p) > MAX_TEXT) {
                    return "";
                }
                return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        });
    }

    /** The 1-based line of character offset {@code at} in the file's text. */
    public int lineAt(String rel, int at) {
        return TextLines.lineAt(text(rel), at);
    }

    /** {@code file:line} of the first match of {@code p} in the file, if any. */
    public Optional<String> find(String rel, Pattern p) {
        Matcher m = p.matcher(text(rel));
        return m.find() ? Optional.of(rel + ":" + lineAt(rel, m.start())) : Optional.empty();
    }

    /** {@code file:line} of every match of {@code p} in the file. */
    public List<String> findAll(String rel, Pattern p) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text(rel));
        while (m.find()) {
            out.add(rel + ":" + lineAt(rel, m.start()));
        }
        return out;
    }

    /** The directory part of a relative path ({@code ""} at the root). */
    public static String dirOf(String rel) {
        int i = rel.lastIndexOf('/');
        return i < 0 ? "" : rel.substring(0, i);
    }
}
