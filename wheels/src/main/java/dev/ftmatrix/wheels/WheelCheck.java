package dev.ftmatrix.wheels;

import dev.ftmatrix.abi.BinaryCheck;
import dev.ftmatrix.builder.ImportProbe;
import dev.ftmatrix.builder.ModuleImport;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.wheels.internal.Downloads;
import dev.ftmatrix.wheels.internal.Installer;
import dev.ftmatrix.wheels.internal.Isolation;
import dev.ftmatrix.wheels.internal.PypiJson;
import dev.ftmatrix.wheels.internal.TagOrder;
import dev.ftmatrix.wheels.internal.Verdicts;
import dev.ftmatrix.wheels.internal.WheelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a release's published wheels, no build: per variant, the wheel an install picks is downloaded, installed
 * with its dependencies into a fresh venv, each extension module imported in its own interpreter in the sandbox,
 * and its binaries checked against its tag. {@code new WheelCheck(cache, work).variant(t, binary).call(release)};
 * one instance may check many releases at once.
 */
public final class WheelCheck {
    /** This stage's version, stored with each result: a change to how wheels are checked makes stored ones stale. */
    public static final String STAGES = "wheels-1";
    private static final Logger LOG = LoggerFactory.getLogger(WheelCheck.class);
    private final Path work;
    private final PypiJson index;
    private final Downloads downloads;
    private final Installer installer;
    private final Map<Variant, Toolchain> toolchains = new TreeMap<>();
    private final Map<Variant, BinaryCheck> binaries = new TreeMap<>();
    private final Map<Variant, String> skipped = new TreeMap<>();
    private final Map<Variant, Toolchain> baselines = new TreeMap<>();
    private final Map<Variant, TagOrder> tags = new ConcurrentHashMap<>();
    private Isolation isolation;
    private Progress progress = Progress.NONE;
    private Consumer<WheelReport> onReport = r -> { };
    private BiFunction<String, String, Optional<WheelReport>> stored =
            (name, version) -> Optional.empty();

    /** @param cache where downloads and pip's cache live; @param work where venvs are made (and removed) */
    public WheelCheck(Path cache, Path work) {
        this(cache, work, PypiJson.pypi());
    }

    WheelCheck(Path cache, Path work, PypiJson index) {
        this.work = work;
        this.index = index;
        this.downloads = new Downloads(cache.resolve("wheels/files"));
        this.installer = new Installer(cache.resolve("pip"));
    }

    /** Checks {@code t}'s variant, its binaries with {@code binary} (the target toolchain's, with the header delta). */
    public WheelCheck variant(Toolchain t, BinaryCheck binary) {
        toolchains.put(t.variant(), t);
        binaries.put(t.variant(), binary);
        return this;
    }

    /**
     * The GIL build {@code gil} beside the free-threaded variant {@code ft}: a module that does not import from the
     * {@code ft} wheel is compared with the same module of the release's wheel for {@code gil}.
     */
    public WheelCheck baseline(Variant ft, Toolchain gil) {
        baselines.put(ft, gil);
        return this;
    }

    /** A variant without a toolchain: its result is {@code error} with {@code why}. */
    public WheelCheck skipped(Variant v, String why) {
        skipped.put(v, why);
        return this;
    }

    /** Called with every release's report as its check finishes (a dependency check's probes of older ones too). */
    public WheelCheck onReport(Consumer<WheelReport> listener) {
        this.onReport = listener;
        return this;
    }

    /**
     * Where earlier results are kept ({@code (name as the index spells it, version) ->} the report, when every variant
     * of it was checked with these toolchains by this stage version): such a release is not checked again.
     */
    public WheelCheck stored(BiFunction<String, String, Optional<WheelReport>> lookup) {
        this.stored = lookup;
        return this;
    }

    public WheelCheck progress(Progress p) {
        this.progress = p;
        return this;
    }

    /**
     * {@code name}'s releases, oldest first, whose wheel an install on {@code v} picks is built for {@code v}'s own ABI
     * ({@code cp313t}; a pure-Python fallback wheel does not count); pre-releases left out.
     */
    public List<String> releasesWithWheel(String name, Variant v) {
        TagOrder order = order(toolchains.get(v));
        List<String> out = new ArrayList<>();
        index.project(name).releases().forEach((version, files) -> {
            if (!version.matches(".*\\d(a|b|rc|\\.dev)\\d*.*") && order.pick(files)
                    .filter(f -> TagOrder.abis(f.filename()).contains(v.id())).isPresent()) {
                out.add(version);
            }
        });
        return out;
    }

    /** The variants this check checks (those without a toolchain too), by id. */
    public List<String> variants() {
        TreeSet<Variant> all = new TreeSet<>(toolchains.keySet());
        all.addAll(skipped.keySet());
        return all.stream().map(Variant::id).toList();
    }

    /** The label of the toolchain that checks {@code variant} (its id), or "" for a variant without one. */
    public String toolchain(String variant) {
        Toolchain t = toolchains.get(Variant.parse(variant));
        return t == null ? "" : t.label();
    }

    /** {@code r} with its name as the index spells it (as results are stored) and its version, the latest when none. */
    public Release resolve(Release r) {
        PypiJson.Project p = index.project(r.name());
        return new Release(p.name(), r.latest() ? p.latest() : r.version());
    }

    /** The latest release of {@code name} on the index. */
    public String latest(String name) {
        return index.project(name).latest();
    }

    public WheelReport call(Release release) {
        if (toolchains.isEmpty() && skipped.isEmpty()) {
            throw new IllegalStateException("no variant to check");
        }
        synchronized (this) {
            if (isolation == null) {
                isolation = Isolation.fromEnvironment(progress);
            }
        }
        PypiJson.Project p = index.project(release.name());
        String version = release.latest() ? p.latest() : release.version();
        Optional<WheelReport> known = stored.apply(p.name(), version);
        if (known.isPresent()) {
            progress.report(p.name() + " " + version + ": checked before with these toolchains; the stored result");
            return known.get();
        }
        List<PypiJson.IndexFile> files = index.files(release.name(), version);
        Map<String, WheelResult> out = new LinkedHashMap<>();
        TreeSet<Variant> all = new TreeSet<>(toolchains.keySet());
        all.addAll(skipped.keySet());
        for (Variant v : all) {
            long t0 = System.nanoTime();
            if (skipped.containsKey(v)) {
                out.put(v.id(), WheelResult.without(v.id(), WheelVerdict.ERROR, skipped.get(v), null, 0));
                continue;
            }
            try {
                out.put(v.id(), check(p.name(), version, files, toolchains.get(v), t0));
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warn("checking the {} wheel of {} {} failed", v, p.name(), version, e);
                out.put(v.id(), WheelResult.without(v.id(), WheelVerdict.ERROR, "ftm failed: " + e.getMessage(), null,
                        (System.nanoTime() - t0) / 1_000_000));
            }
        }
        WheelReport report = new WheelReport(WheelReport.SCHEMA, p.name(), version, "pypi:" + p.name() + "==" + version,
                out);
        onReport.accept(report);
        return report;
    }

    private WheelResult check(String name, String version, List<PypiJson.IndexFile> files, Toolchain t, long t0) {
        Variant v = t.variant();
        PypiJson.IndexFile picked = order(t).pick(files).orElse(null);
        if (picked == null) {
            return WheelResult.without(v.id(), WheelVerdict.NO_WHEEL, noWheel(v, files), null, millis(t0));
        }
        PublishedWheel wheel = new PublishedWheel(picked.filename(), picked.url(), picked.sha256());
        progress.report("[" + v + "] " + name + " " + version + ": " + picked.filename());
        Path file = downloads.get(picked);
        List<String> modules = WheelFiles.extensionModules(file);
        List<Finding> findings = binaries.get(v).check(file);
        if (modules.isEmpty() && TagOrder.abis(picked.filename()).contains("none") && hasBinaryWheels(files)) {
            // the project builds binaries, but none for this variant: an install gets its pure-Python fallback
            return WheelResult.without(v.id(), WheelVerdict.NO_WHEEL, "no binary wheel for " + v + ": an install here"
                    + " falls back to the pure-Python " + picked.filename() + "; " + noWheel(v, files)
                    .replaceFirst("^.*: its wheels", "the release's wheels"), wheel, millis(t0));
        }
        if (modules.isEmpty()) {
            // nothing of its own can turn the GIL on: no venv, no imports
            Verdicts.Judged j = Verdicts.judge(v, modules, List.of(), findings, new Dependencies(List.of(), ""));
            return new WheelResult(v.id(), j.verdict(), j.reason(), wheel, List.of(), List.of(), List.of(), List.of(),
                    findings, new Dependencies(List.of(), "not installed: a wheel without extension modules"), "",
                    millis(t0));
        }
        Imported run = importAll(name, version, t, file, modules);
        if (!run.probe().failure().isEmpty()) {
            return new WheelResult(v.id(), WheelVerdict.ERROR, "ftm failed: " + run.probe().failure(), wheel,
                    run.probe().imports(), List.of(), List.of(), List.of(), findings, run.dependencies(),
                    isolation.kind(), millis(t0));
        }
        List<String> failed = run.probe().imports().stream().filter(m -> !m.imported()).map(ModuleImport::module).toList();
        Set<String> alsoOnGil = failed.isEmpty() || !baselines.containsKey(v) ? Set.of()
                : failingOnGilBuild(name, version, files, baselines.get(v), failed);
        Verdicts.Judged j = Verdicts.judge(v, modules, run.probe().imports(), findings, run.dependencies(), alsoOnGil);
        return new WheelResult(v.id(), j.verdict(), j.reason(), wheel, run.probe().imports(), j.reenabledBy(),
                j.byDependencies(), List.copyOf(new TreeSet<>(alsoOnGil)), findings, run.dependencies(),
                isolation.kind(), millis(t0));
    }

    private record Imported(ImportProbe.Outcome probe, Dependencies dependencies) {
    }

    /** A fresh venv with the wheel and its dependencies, and each module imported in its own interpreter. */
    private Imported importAll(String name, String version, Toolchain t, Path file, List<String> modules) {
        Path dir = newWorkDir(name, version, t.variant());
        try {
            Path log = dir.resolve("log.txt");
            long t0 = System.nanoTime();
            Installer.Installed installed = installer.install(t, file, dir.resolve("venv"), log);
            long t1 = System.nanoTime();
            ImportProbe.Outcome probe = ImportProbe.run(installed.venv().resolve("bin/python"), modules, dir,
                    (argv, env, deadline) -> isolation.run(argv, dir, env, List.of(t.prefix(), dir), List.of(), log,
                            deadline));
            progress.report("[" + t.variant() + "] " + name + " " + version + ": installed in " + seconds(t1 - t0)
                    + " s, " + modules.size() + " modules imported in " + seconds(System.nanoTime() - t1) + " s");
            return new Imported(probe, installed.dependencies());
        } finally {
            FileTrees.delete(dir);
        }
    }

    /**
     * Of the modules that did not import, those that do not import from the release's wheel for the GIL build either:
     * what the GIL build also shows is not the free-threaded wheel's failure (a system library the sandbox lacks, a
     * test module's undeclared dependency). Without such a wheel, none.
     */
    private Set<String> failingOnGilBuild(String name, String version, List<PypiJson.IndexFile> files, Toolchain gil,
                                          List<String> failed) {
        PypiJson.IndexFile picked = order(gil).pick(files).orElse(null);
        if (picked == null) {
            return Set.of();
        }
        progress.report("[" + gil.variant() + "] " + name + " " + version + ": " + failed.size()
                + " modules did not import on " + gil.variant() + "t; the GIL build's wheel for comparison");
        Path file = downloads.get(picked);
        List<String> there = WheelFiles.extensionModules(file).stream().filter(failed::contains).toList();
        if (there.isEmpty()) {
            return Set.of();
        }
        Imported run = importAll(name, version, gil, file, there);
        if (!run.probe().failure().isEmpty() || !run.dependencies().complete()) {
            return Set.of();   // no comparison: the failures count
        }
        Set<String> out = new TreeSet<>();
        run.probe().imports().stream().filter(m -> !m.imported()).forEach(m -> out.add(m.module()));
        return out;
    }

    private TagOrder order(Toolchain t) {
        return tags.computeIfAbsent(t.variant(), k -> TagOrder.of(t));
    }

    /** Whether the release has wheels for a particular platform (a project that builds extension modules). */
    private static boolean hasBinaryWheels(List<PypiJson.IndexFile> files) {
        return files.stream().anyMatch(f -> TagOrder.tags(f.filename()).stream().anyMatch(t -> !t.endsWith("-any")));
    }

    /** What the release has instead, so that "no wheel" says which wheels there are. */
    private static String noWheel(Variant v, List<PypiJson.IndexFile> files) {
        TreeSet<String> abis = new TreeSet<>();
        for (PypiJson.IndexFile f : files) {
            String[] parts = f.filename().replaceFirst("\\.whl$", "").split("-");
            if (f.filename().endsWith(".whl") && parts.length >= 5) {
                abis.add(parts[parts.length - 2]);
            }
        }
        return "no wheel of this release installs on " + v + " (manylinux x86_64)" + (abis.isEmpty()
                ? ": it has no wheels" + (files.isEmpty() ? " and no files" : ", only an sdist")
                : ": its wheels are for " + String.join(", ", abis));
    }

    private Path newWorkDir(String name, String version, Variant v) {
        try {
            Files.createDirectories(work);
            return Files.createTempDirectory(work, PypiJson.normalize(name) + "-" + version.replaceAll("[^A-Za-z0-9.]", "_")
                    + "-" + v.id() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a work directory under " + work, e);
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
