package dev.ftmatrix.abi;

import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.support.Digests;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ftmatrix.abi.headers.ElfSymbols;
import dev.ftmatrix.abi.headers.GilDefinitions;
import dev.ftmatrix.abi.headers.LayoutProbe;
import dev.ftmatrix.abi.headers.StructParser;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.support.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Measures the {@link HeaderDelta} between a GIL toolchain and the free-threaded toolchain of the same CPython
 * version, and caches it per pair under {@code CACHE/abi/}: {@code new AbiDelta(cp313, cp313t).cacheRoot(c).call()}.
 */
public final class AbiDelta {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Toolchain gil;
    private final Toolchain ft;
    private Path cacheRoot;
    private String compiler = System.getenv().getOrDefault("CC", "gcc");
    private Progress progress = Progress.NONE;
    private boolean refresh;

    public AbiDelta(Toolchain gil, Toolchain ft) {
        this.gil = gil;
        this.ft = ft;
    }

    /** Keep the delta in {@code CACHE/abi/} and reuse it there (default: no cache). */
    public AbiDelta cacheRoot(Path cache) {
        this.cacheRoot = cache;
        return this;
    }

    /** The C compiler for the probes (default: {@code $CC}, else gcc). */
    public AbiDelta compiler(String cc) {
        this.compiler = cc;
        return this;
    }

    public AbiDelta progress(Progress p) {
        this.progress = p;
        return this;
    }

    /** Measure again even when a cached delta exists. */
    public AbiDelta refresh(boolean r) {
        this.refresh = r;
        return this;
    }

    public HeaderDelta call() {
        if (gil.variant().freeThreaded() || !ft.variant().freeThreaded()
                || gil.variant().minor() != ft.variant().minor()) {
            throw new UserInputException("abi diff compares a GIL build with the free-threaded build of the same version,"
                    + " e.g. cp313 cp313t; got " + gil.variant() + " " + ft.variant());
        }
        for (Toolchain t : List.of(gil, ft)) {
            if (!Files.isRegularFile(t.libpython()) || !Files.isRegularFile(t.include().resolve("Python.h"))) {
                throw new UserInputException(t.label() + " has no shared libpython or no Python.h (" + t.prefix()
                        + "): use a toolchain built with --enable-shared (ftm toolchain install " + t.variant() + ")");
            }
        }
        Path cached = cacheRoot == null ? null : cacheRoot.resolve("abi").resolve(
                gil.variant() + "-" + ft.variant() + "-" + key() + ".json");
        if (cached != null && !refresh && Files.isRegularFile(cached)) {
            try {
                progress.report("[abi] cached delta " + cached);
                return JSON.readValue(cached.toFile(), HeaderDelta.class);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable cached delta " + cached + ": delete it", e);
            }
        }
        HeaderDelta d = measure();
        if (cached != null) {
            try {
                Files.createDirectories(cached.getParent());
                Path tmp = cached.resolveSibling(cached.getFileName() + ".tmp");
                JSON.writeValue(tmp.toFile(), d);
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + cached, e);
            }
        }
        return d;
    }

    private HeaderDelta measure() {
        Path work;
        try {
            work = Files.createTempDirectory("ftm-abi-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            LayoutProbe probe = new LayoutProbe(compiler, work);
            progress.report("[abi] probing struct layouts of " + gil.label());
            LayoutProbe.Result g = probe.measure(gil);
            progress.report("[abi] probing struct layouts of " + ft.label());
            LayoutProbe.Result f = probe.measure(ft);
            Set<String> names = new LinkedHashSet<>(g.structs().keySet());
            names.addAll(f.structs().keySet());
            List<HeaderDelta.StructDelta> structs = new ArrayList<>();
            for (String n : names) {
                HeaderDelta.Layout gl = g.layouts().get(n);
                HeaderDelta.Layout fl = f.layouts().get(n);
                if (gl == null && fl == null) {
                    continue;
                }
                StructParser.Struct where = f.structs().getOrDefault(n, g.structs().get(n));
                structs.add(new HeaderDelta.StructDelta(n, where.file(), where.line(), gl, fl, !Objects.equals(gl, fl)));
            }
            structs.sort(Comparator.comparing(HeaderDelta.StructDelta::name));
            progress.report("[abi] reading Py_GIL_DISABLED conditionals and exported symbols");
            GilDefinitions.Result defs = GilDefinitions.read(ft.include(), gil.include());
            Set<String> gs = ElfSymbols.exported(gil.libpython());
            Set<String> fs = ElfSymbols.exported(ft.libpython());
            Set<String> onlyGil = new TreeSet<>(gs);
            onlyGil.removeAll(fs);
            Set<String> onlyFt = new TreeSet<>(fs);
            onlyFt.removeAll(gs);
            HeaderDelta.Symbols symbols = new HeaderDelta.Symbols(gil.libpython().getFileName().toString(),
                    ft.libpython().getFileName().toString(), gs.size(), fs.size(), List.copyOf(onlyGil), List.copyOf(onlyFt));
            return new HeaderDelta(HeaderDelta.SCHEMA, ft.fullVersion(), gil.label(), ft.label(), structs,
                    defs.definitions(), symbols, defs.guards());
        } finally {
            FileTrees.delete(work);
        }
    }

    /** Changes when either toolchain, the compiler or the delta's schema changes. */
    private String key() {
        try {
            Digests.Sha256 md = Digests.sha256();
            for (Toolchain t : List.of(gil, ft)) {
                md.update(t.prefix() + "|" + t.fullVersion() + "|" + t.sourceSha256() + "|"
                        + Files.getLastModifiedTime(t.libpython()).toMillis() + "\n");
            }
            md.update(compiler + "|" + HeaderDelta.SCHEMA);
            return md.hex().substring(0, 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot key the delta cache: " + e.getMessage(), e);
        }
    }
}
