package dev.ftmatrix.toolchain;

import dev.ftmatrix.support.Digests;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.internal.InterpreterProbe;
import dev.ftmatrix.toolchain.internal.SourceBuild;
import dev.ftmatrix.toolchain.internal.SourceArchives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cache of interpreter toolchains, {@code CACHE/toolchains/<variant>-<source sha256>/}: a directory counts as
 * installed only once its {@code toolchain.json} exists, which is written last.
 */
public final class Toolchains {
    static final String MARKER = "toolchain.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final Progress progress;

    public Toolchains(Path cacheRoot, Progress progress) {
        this.root = cacheRoot.resolve("toolchains");
        this.progress = progress;
    }

    /** {@code $FTM_CACHE}, else {@code $XDG_CACHE_HOME/ftm}, else {@code ~/.cache/ftm}. */
    public static Path defaultCacheRoot() {
        String ftm = System.getenv("FTM_CACHE");
        if (ftm != null && !ftm.isBlank()) {
            return Path.of(ftm);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("ftm");
    }

    public Path root() {
        return root;
    }

    /** Every installed toolchain, newest first. */
    public List<Toolchain> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> markers = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.map(d -> d.resolve(MARKER)).filter(Files::isRegularFile).forEach(markers::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        markers.sort(Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed());
        List<Toolchain> out = new ArrayList<>();
        for (Path m : markers) {
            Toolchain t = read(m);
            if (Files.isExecutable(t.python())) {
                out.add(t);
            }
        }
        return out;
    }

    /** The toolchain to use for a variant: the one named by {@code use}, else the newest built one. */
    public Optional<Toolchain> find(Variant variant) {
        List<Toolchain> all = list().stream().filter(t -> t.variant().equals(variant)).toList();
        return all.stream().filter(t -> t.provider().equals("python")).findFirst().or(() -> all.stream().findFirst());
    }

    /** Registers a user's interpreter after validating it; returns what it is. */
    public Toolchain use(Path python) {
        Toolchain t = InterpreterProbe.probe(python.toAbsolutePath(), "python", "");
        String key = Digests.sha256(python.toAbsolutePath().toString()).substring(0, 16);
        Path dir = root.resolve(t.variant().id() + "-python-" + key);
        writeMarker(dir, t);
        return t;
    }

    /** Validates an interpreter without registering it (for {@code --python} on one command). */
    public static Toolchain probe(Path python) {
        return InterpreterProbe.probe(python.toAbsolutePath(), "python", "");
    }

    /**
     * Installs a toolchain for {@code variant} built from {@code source}: {@code debian} (Debian's source package of
     * python3.X), a path to a CPython source tarball, or an http(s) URL of one. Returns at once when it is cached.
     */
    public Toolchain install(Variant variant, String source) {
        SourceArchives archives = new SourceArchives(root.getParent().resolve("sources"), progress);
        Path archive = archives.fetch(variant, source);
        String sha = Digests.sha256(archive);
        Path dir = root.resolve(variant.id() + "-" + sha);
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            progress.report("[" + variant + "] cached: " + dir);
            return read(marker);
        }
        try {
            Files.createDirectories(root);
            try (var ch = FileChannel.open(root.resolve(".lock-" + variant.id()),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var lock = ch.lock()) {
                if (Files.isRegularFile(marker)) {
                    return read(marker);
                }
                Path prefix = dir.resolve("prefix");
                new SourceBuild(variant, archive, prefix, root.getParent().resolve("build"), progress).call();
                String provider = source.equals("debian") ? "debian-source" : "tarball";
                Toolchain t = InterpreterProbe.probe(prefix.resolve("bin").resolve(variant.executableName()), provider, sha);
                if (!t.variant().equals(variant)) {
                    throw new UserInputException("toolchain source " + source + " built " + t.variant() + ", not " + variant
                            + "; give a CPython " + variant.version() + " source archive");
                }
                writeMarker(dir, t);
                progress.report("[" + variant + "] installed " + t.label() + " in " + dir);
                return t;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Toolchain read(Path marker) {
        try {
            return JSON.readValue(marker.toFile(), Toolchain.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + marker + ": delete it and reinstall", e);
        }
    }

    private static void writeMarker(Path dir, Toolchain t) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, MARKER, ".tmp");
            JSON.writeValue(tmp.toFile(), t);
            Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
