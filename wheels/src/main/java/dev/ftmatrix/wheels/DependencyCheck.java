package dev.ftmatrix.wheels;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.support.FileTrees;
import dev.ftmatrix.wheels.internal.RequirementFiles;
import dev.ftmatrix.wheels.internal.Resolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A dependency file on one variant: resolved as pip would (lock files: their pins), then each dependency's published
 * wheel checked, and for those not {@code wheel-ready} the first release whose wheel is, probing at most
 * {@code budget} releases. {@code new DependencyCheck(wheels, variant, resolveWith).call(file)}.
 */
public final class DependencyCheck {
    private final WheelCheck wheels;
    private final Variant variant;
    private final Toolchain resolveWith;
    private final Path work;
    private int budget = 4;
    private int jobs = 4;
    private Progress progress = Progress.NONE;

    /**
     * @param resolveWith the toolchain pip resolves with: the variant's GIL twin, whose choice of versions is the
     *     variant's own (no marker tells them apart) and which has wheels where the variant may have none yet
     */
    public DependencyCheck(WheelCheck wheels, Variant variant, Toolchain resolveWith, Path cache, Path work) {
        this.wheels = wheels;
        this.variant = variant;
        this.resolveWith = resolveWith;
        this.work = work;
        this.pipCache = cache.resolve("pip");
    }

    private final Path pipCache;

    /** Releases probed per dependency to find its first ready one (0: none). */
    public DependencyCheck budget(int n) {
        this.budget = n;
        return this;
    }

    public DependencyCheck jobs(int n) {
        this.jobs = n;
        return this;
    }

    public DependencyCheck progress(Progress p) {
        this.progress = p;
        return this;
    }

    public DependencyReport call(Path file) {
        List<Requirement> requirements = RequirementFiles.read(file);
        Path dir = newWorkDir();
        Resolver.Resolution res;
        try {
            progress.report("[" + variant + "] resolving " + requirements.size() + " requirements of " + file
                    + " with " + resolveWith.label());
            res = new Resolver(pipCache).resolve(resolveWith, requirements, dir);
        } finally {
            FileTrees.delete(dir);
        }
        if (!res.failure().isEmpty()) {
            throw new IllegalStateException("resolving " + file + " failed: " + res.failure());
        }
        List<DependencyResult> out = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<DependencyResult>> futures = new ArrayList<>();
            res.pins().forEach((name, version) -> {
                Requirement stated = stated(requirements, name);
                futures.add(pool.submit(() -> one(name, version, stated)));
            });
            for (String name : res.unresolvable()) {
                Requirement stated = stated(requirements, name);
                out.add(new DependencyResult(name, "", stated == null ? 0 : stated.line(), true, WheelVerdict.NO_WHEEL,
                        "no release that fits '" + (stated == null ? name : stated.spec()) + "' has a wheel for "
                                + resolveWith.variant() + " either; pip would build it from source",
                        List.of(), null, new DependencyResult.FirstReady("", false, "not probed", List.of())));
            }
            for (Future<DependencyResult> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking dependencies", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new DependencyReport(DependencyReport.SCHEMA, file.toString(), variant.id(), resolveWith.label(), out);
    }

    private DependencyResult one(String name, String version, Requirement stated) {
        WheelResult w = wheels.call(new Release(name, version)).variants().get(variant.id());
        FirstReadySearch finder = new FirstReadySearch(wheels, variant, budget);
        DependencyResult.FirstReady first = finder.find(name, version, w);
        progress.report("[" + variant + "] " + name + " " + version + ": " + w.verdict()
                + (first.version().isEmpty() ? "" : " (first ready: " + first.version() + ")"));
        return new DependencyResult(name, version, stated == null ? 0 : stated.line(), stated != null, w.verdict(),
                w.reason(), w.gilReenabledBy(), w, first);
    }

    private static Requirement stated(List<Requirement> requirements, String name) {
        String n = norm(name);
        return requirements.stream().filter(r -> norm(r.name()).equals(n)).findFirst().orElse(null);
    }

    private static String norm(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    private Path newWorkDir() {
        try {
            Files.createDirectories(work);
            return Files.createTempDirectory(work, "deps-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
