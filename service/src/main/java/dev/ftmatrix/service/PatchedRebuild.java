package dev.ftmatrix.service;

import dev.ftmatrix.builder.BuildFailures;
import dev.ftmatrix.builder.BuildFailure;
import dev.ftmatrix.builder.Build;
import dev.ftmatrix.builder.Patch;
import dev.ftmatrix.builder.Patches;
import dev.ftmatrix.builder.PinnedLayer;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.core.PatchedBuild;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.testrunner.VariantRun;
import dev.ftmatrix.testrunner.Confirmation;
import dev.ftmatrix.testrunner.Verdicts;
import dev.ftmatrix.support.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds and tests a project on one free-threaded variant as pinned, then once more per binding layer whose pin
 * rules out free-threading support, with that layer upgraded (or, with {@link #escapeHatch}, forced):
 * {@code new PatchedRebuild(project, toolchain, work).sandbox(box).call()}.
 */
public final class PatchedRebuild {
    private final Path project;
    private final Toolchain toolchain;
    private final Path work;
    private Sandbox sandbox = Sandbox.local();
    private Path pipCache;
    private Map<String, String> env = Map.of();
    private boolean escapeHatch;
    private Progress progress = Progress.NONE;
    private TestOptions options = TestOptions.defaults();
    private List<String> testRequirements = List.of();
    private List<ProjectScan.Binding> bindings = List.of();
    private VariantRun.Outcome baseline;
    private VariantRun baselineRun;

    public PatchedRebuild(Path project, Toolchain toolchain, Path work) {
        this.project = project;
        this.toolchain = toolchain;
        this.work = work;
        this.pipCache = work.resolve("pip-cache");
    }

    public PatchedRebuild sandbox(Sandbox s) {
        this.sandbox = s;
        return this;
    }

    public PatchedRebuild pipCache(Path dir) {
        this.pipCache = dir;
        return this;
    }

    /** Extra environment for every build (e.g. a PATH with cargo). */
    public PatchedRebuild env(Map<String, String> e) {
        this.env = Map.copyOf(e);
        return this;
    }

    /** Use a layer's escape hatch (PyO3's {@code UNSAFE_PYO3_BUILD_FREE_THREADED=1}) instead of upgrading it. */
    public PatchedRebuild escapeHatch(boolean on) {
        this.escapeHatch = on;
        return this;
    }

    /** The test options of the pinned run, so the patched one is run alike. */
    public PatchedRebuild options(TestOptions o) {
        this.options = o;
        return this;
    }

    /** The project's test requirements, as for the pinned run. */
    public PatchedRebuild testRequirements(List<String> reqs) {
        this.testRequirements = List.copyOf(reqs);
        return this;
    }

    /** The binding layers as the scanner read them, with where each is pinned (none: nothing to patch). */
    public PatchedRebuild bindings(List<ProjectScan.Binding> scanned) {
        this.bindings = List.copyOf(scanned);
        return this;
    }

    /** The pinned GIL run the patched free-threaded run is compared with (null: none, every failure counts). */
    public PatchedRebuild baseline(VariantRun.Outcome b) {
        return baseline(b, null);
    }

    /** The baseline, and the run it came from: a patched build's concurrent failures are confirmed as the pinned's are. */
    public PatchedRebuild baseline(VariantRun.Outcome b, VariantRun from) {
        this.baselineRun = from;
        this.baseline = b;
        return this;
    }

    public PatchedRebuild progress(Progress p) {
        this.progress = p;
        return this;
    }

    /** The pinned run and one patched build per too-old layer (none when every pin allows free-threading). */
    public record Result(List<PinnedLayer> pins, VariantRun.Outcome pinned, Verdicts.Decision pinnedDecision,
                         List<PatchedBuild> patched) {
        public Result {
            pins = List.copyOf(pins);
            patched = List.copyOf(patched);
        }
    }

    public Result call() {
        List<PinnedLayer> pins = Patches.pins(bindings);
        progress.report("[" + toolchain.variant() + "] binding layers: " + pins.stream()
                .map(p -> p.layer().name() + " " + p.pinned() + " in " + p.where() + (p.tooOld() ? " (too old)" : "")).toList());
        VariantRun.Outcome pinned = run(project, work.resolve("pinned"), Map.of());
        Verdicts.Decision pinnedDecision = decide(pinned, work.resolve("pinned"));
        return new Result(pins, pinned, pinnedDecision, patched(pins, pinnedDecision));
    }

    /**
     * Only the patched builds, for a pinned run decided elsewhere (the pipeline's own run of the variant): one per
     * too-old layer, none when every pin allows free-threading.
     */
    public List<PatchedBuild> patchedOnly(Verdicts.Decision pinnedDecision) {
        return patched(Patches.pins(bindings), pinnedDecision);
    }

    private List<PatchedBuild> patched(List<PinnedLayer> pins, Verdicts.Decision pinnedDecision) {
        List<PatchedBuild> out = new ArrayList<>();
        for (PinnedLayer pin : pins) {
            if (!pin.tooOld() || !Patches.appliesTo(pin, toolchain)) {
                continue;
            }
            Path dir = work.resolve("patched-" + pin.layer().name());
            Path tree = dir.resolve("project");
            FileTrees.copy(project, tree);
            Patch a = Patches.apply(pin, tree, escapeHatch, toolchain.python(), pipCache, dir.resolve("patch.log"));
            progress.report("[" + toolchain.variant() + "] patched: " + a.how());
            VariantRun r = runner(tree, dir, a.env());
            VariantRun.Outcome o = r.call();
            // like for like: its concurrent failures confirmed as the pinned run's were
            Confirmation c = Confirmation.of(r, o, baselineRun, baseline, progress, "[" + toolchain.variant() + "] patched: ");
            Verdicts.Decision d = decide(c.run(), dir, c.baseline(), c.unconfirmed());
            out.add(new PatchedBuild(pin.layer().name(), pin.pinned(), a.to(), a.how(), pinnedDecision.verdict(),
                    pinnedDecision.reason(), d.verdict(), d.reason(), pin.layer().advice()));
        }
        return out;
    }

    /** The verdict, a failed build's reason being its named cause and the log line that shows it. */
    private Verdicts.Decision decide(VariantRun.Outcome o, Path dir) {
        return decide(o, dir, baseline, Set.of());
    }

    private Verdicts.Decision decide(VariantRun.Outcome o, Path dir, VariantRun.Outcome base, Set<String> unconfirmed) {
        Verdicts.Decision d = Verdicts.decide(toolchain.variant(), o, base, unconfirmed);
        if (o.build().ok() && o.tests().isEmpty() && o.testError().contains("killed the interpreter")) {
            // without a baseline Verdicts cannot blame free-threading, but a module that kills the interpreter on
            // import is a crash whatever the GIL does
            return new Verdicts.Decision(Verdict.CRASH, o.testError().lines().findFirst().orElse(""));
        }
        if (o.build().ok()) {
            return d;
        }
        BuildFailure f = BuildFailures.classify(read(dir.resolve("run/build.log")));
        return new Verdicts.Decision(d.verdict(), f.category() + ": " + (f.lines().isEmpty() ? d.reason() : f.lines().getFirst()));
    }

    private VariantRun.Outcome run(Path tree, Path dir, Map<String, String> extraEnv) {
        return runner(tree, dir, extraEnv).call();
    }

    private VariantRun runner(Path tree, Path dir, Map<String, String> extraEnv) {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(extraEnv);
        return BuildThenTest.of(new Build(tree, toolchain, dir.resolve("run")).sandbox(sandbox).pipCache(pipCache).env(e)
                .testRequirements(testRequirements), options, progress);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
