package dev.ftmatrix.service;

import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.builder.Sandbox;
import dev.ftmatrix.builder.Build;
import dev.ftmatrix.abi.SourceReport;
import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.PatchedBuild;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.support.Digests;
import dev.ftmatrix.testrunner.Confirmation;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.SourceFacts;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Timings;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.scanner.ProjectScanner;
import dev.ftmatrix.scanner.SourceFetcher;
import dev.ftmatrix.testrunner.VariantRun;
import dev.ftmatrix.testrunner.HarnessFailure;
import dev.ftmatrix.testrunner.Verdicts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Wires the stages for one project: source and its scan, the abi-checker's source findings, then per variant build,
 * import and tests, then verdicts.
 */
final class Pipeline {
    /**
     * The version of what the stages do; bump it when a change would give another result for the same source, so
     * that stored results of older stages are redone rather than kept.
     */
    static final String STAGES = "3";

    private final Path cacheRoot;
    private final Path workRoot;
    private final ToolchainResolver toolchains;
    private final Progress progress;
    private TestOptions options;

    Pipeline(Path cacheRoot, Path workRoot, ToolchainResolver toolchains, Duration testDeadline, Progress progress) {
        this.cacheRoot = cacheRoot;
        this.workRoot = workRoot;
        this.toolchains = toolchains;
        this.options = TestOptions.defaults().withTestDeadline(testDeadline);
        this.progress = progress;
    }

    /** How every project's tests run (the command's options, validated once there). */
    Pipeline options(TestOptions o) {
        this.options = o;
        return this;
    }

    /** Java threads that run each test at once in the harness (default: the cores). */
    Pipeline threads(int n) {
        this.options = options.withThreads(n);
        return this;
    }

    /** How often the harness repeats its concurrent phase, for a flakiness rate (default 1). */
    Pipeline iterations(int k) {
        this.options = options.withIterations(k);
        return this;
    }

    /**
     * The work directory of a source: a safe slug (name, version when the source tells one, a short hash of the
     * whole spec), never the raw spec, which may hold {@code :}, {@code =} or {@code /}.
     */
    static String slug(ProjectSpec spec) {
        String version = spec.source().replaceFirst("^.*==", "");
        String base = spec.name() + (spec.source().contains("==") ? "-" + version : "");
        String safe = base.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._-]+", "");
        String key = spec.source() + "\n" + spec.ref() + "\n" + spec.subdirectory();
        return (safe.isEmpty() ? "project" : safe) + "-" + Digests.sha256(key).substring(0, 8);
    }

    CheckResult check(ProjectSpec spec) {
        return check(spec, fingerprint -> false);
    }

    /** Like {@link #check(ProjectSpec)}, but returns null without building when {@code unchanged} holds for the fingerprint. */
    CheckResult check(ProjectSpec spec, Predicate<String> unchanged) {
        Path work = workRoot.resolve(slug(spec));
        progress.report(spec.name() + ": fetching " + spec.source() + (spec.ref().isEmpty() ? "" : " @ " + spec.ref()));
        Timings timings = new Timings();
        long t = System.nanoTime();
        FetchedSource src = new SourceFetcher(cacheRoot, progress).fetch(spec.source(), spec.ref(), spec.subdirectory(),
                work.resolve("src"));
        t = timings.since("fetch", t);
        requireBuildFile(spec, src.dir());
        progress.report(spec.name() + ": " + src.fingerprint());
        if (unchanged.test(src.fingerprint())) {
            return null;
        }
        SourceReport abi = new SourceScan(src.dir()).call();
        ProjectScan scan = new ProjectScanner(abi.declaredModules()).scan(src);   // one reading of the declarations
        timings.since("scan", t);
        progress.report(spec.name() + ": " + String.join(", ", facts(scan).bindingLayers()) + "; "
                + abi.findings().size() + " source finding(s)");

        TestOptions projectOptions = options.withPytestArgs(spec.testCommand().isEmpty() ? options.pytestArgs()
                : spec.testCommand()).withThreadUnsafe(concat(options.threadUnsafe(), spec.threadUnsafe()));
        List<String> testRequirements = scan.tests() == null ? List.of() : scan.tests().requirements();
        if (!testRequirements.isEmpty()) {
            progress.report(spec.name() + ": test requirements " + testRequirements
                    + (scan.tests().requirementSources().isEmpty() ? "" : " from " + scan.tests().requirementSources()));
        }
        Map<Variant, VariantRun.Outcome> outcomes = new HashMap<>();
        Map<Variant, VariantRun> runs = new HashMap<>();
        Map<Variant, VariantResult> results = new LinkedHashMap<>();
        for (Variant v : spec.variants()) {   // sorted: a version's GIL build runs before its free-threaded one
            Toolchain tc = toolchains.resolve(v);
            if (tc == null) {
                results.put(v, VariantResult.skipped(v, toolchains.whySkipped(v)));
                progress.report(spec.name() + " [" + v + "] skipped: " + toolchains.whySkipped(v));
                continue;
            }
            try {
                checkVariant(spec, src, work, v, tc, projectOptions, testRequirements, scan.bindingLayers(), outcomes, runs,
                        results);
            } catch (HarnessFailure e) {
                // ftm's own failure: the variant is not checked, whatever test was running when it happened
                String why = "not checked: ftm failed at tests: " + e.getMessage();
                VariantResult skipped = VariantResult.skipped(v, why);
                results.put(v, new VariantResult(v, tc.label(), skipped.build(), List.of(), null, "", List.of(),
                        Verdict.ERROR, why, "", List.of()));
                progress.report(spec.name() + " [" + v + "] " + Verdict.ERROR + ": " + why);
            }
        }
        Boolean declared = scan.declaresFreeThreading() != null ? scan.declaresFreeThreading() : declares(results);
        return new CheckResult(CheckResult.SCHEMA, spec.name(), src.pinned(), src.fingerprint(), declared, facts(scan),
                abi.findings(), CheckResult.byId(results), Instant.now().toString(), STAGES, timings.snapshot());
    }

    /** A free-threaded run that the GIL's run must explain: a test that did not pass, or a suite that did not run. */
    static boolean needsBaseline(VariantRun.Outcome o) {
        return !o.testError().isEmpty() || o.tests().stream().anyMatch(t -> t.outcome().isBad());
    }

    /** One variant: its run, its GIL baseline, confirmation runs, the verdict and patched rebuilds, into the maps. */
    private void checkVariant(ProjectSpec spec, FetchedSource src, Path work, Variant v, Toolchain tc,
                              TestOptions projectOptions, List<String> testRequirements,
                              List<ProjectScan.Binding> bindings, Map<Variant, VariantRun.Outcome> outcomes, Map<Variant, VariantRun> runs,
                              Map<Variant, VariantResult> results) {
        VariantRun ftRun = runner(spec, src, tc, work.resolve(v.id()), projectOptions, testRequirements);
        VariantRun.Outcome o = ftRun.call();
        runs.put(v, ftRun);
        outcomes.put(v, o);
        VariantRun.Outcome baseline = null;
        VariantRun baselineRun = null;
        if (v.freeThreaded() && o.build().ok()) {
            baseline = outcomes.get(v.withGil());
            baselineRun = runs.get(v.withGil());
            if ((baseline == null || !baseline.build().ok()) && needsBaseline(o)) {
                // the same build's suite with the GIL on: what was built and installed is the same wheel, so it is not
                // built again (a second build, venv and resolve cost as much as the first); only when something went
                // wrong without the GIL: a suite that passed needs no baseline to blame nobody
                progress.report(spec.name() + " [" + v + "] baseline: the same build's suite with PYTHON_GIL=1");
                baselineRun = ftRun.againIn(work.resolve(v.id() + "-gil")).pythonGil("1");
                baseline = baselineRun.call();
                ftRun.timings().add("baseline with PYTHON_GIL=1", Timings.total(baselineRun.timings().snapshot()));
            }
        }
        // a concurrent failure only without the GIL is run again on both builds before anyone is blamed
        long tConfirm = System.nanoTime();
        Confirmation c = Confirmation.of(ftRun, o, baselineRun, baseline, progress, spec.name() + " [" + v + "] ");
        o = c.run();
        baseline = c.baseline();
        if (c.ran()) {
            ftRun.timings().since("confirmation", tConfirm);
        }
        Verdicts.Decision d = Verdicts.decide(v, o, baseline, c.unconfirmed());
        long tPatched = System.nanoTime();
        // a free-threaded variant that is not ready is rebuilt with each too-old pinned binding layer upgraded
        // (with the same test options, requirements and baseline as the pinned run: like for like)
        List<PatchedBuild> patched = v.freeThreaded() && d.verdict() != Verdict.READY && d.verdict() != Verdict.ERROR
                ? new PatchedRebuild(src.dir(), tc, work.resolve(v.id() + "-patched"))
                        .sandbox(Sandbox.fromEnvironment(SandboxLimits.DEFAULT, progress))
                        .pipCache(cacheRoot.resolve("pip")).env(spec.env()).progress(progress)
                        .options(projectOptions).testRequirements(testRequirements).bindings(bindings)
                        .baseline(baseline, baselineRun)
                        .patchedOnly(d)
                : List.of();
        if (!patched.isEmpty()) {
            ftRun.timings().since("patched rebuilds", tPatched);
        }
        results.put(v, new VariantResult(v, tc.label(), o.build(), o.modules(), o.gilEnabledAfterImport(),
                o.gilReenabledBy(), o.tests(), d.verdict(), d.reason(), o.sandbox(), patched, o.importProbe(),
                o.importErrors(), o.collected(), d.threadUnsafe(), o.testRequirements(), ftRun.timings().snapshot()));
        patched.forEach(p -> progress.report(spec.name() + " [" + v + "] patched: " + p.summary()));
        progress.report(spec.name() + " [" + v + "] " + d.verdict() + ": " + d.reason());
    }

    /** The scan in the check result's vocabulary. */
    static SourceFacts facts(ProjectScan scan) {
        List<String> layers = scan.bindingLayers().stream().map(b -> b.name()
                + (b.version() != null ? " " + b.version() : b.requirement() != null
                        ? " (" + b.requirement().replaceFirst("^[A-Za-z0-9_.-]+\\s*", "") + ")" : "")
                + (b.vendoredAt() != null ? " vendored" : "")).toList();
        // the modules the wheel ships: test-only, example and other-platform ones are no part of the answer
        List<SourceFacts.DeclaredModule> modules = scan.shippedModules().stream().map(m -> new SourceFacts.DeclaredModule(
                m.name(), m.bindingLayer(), m.declaration(), m.mechanism(), m.evidence(), "")).toList();
        return new SourceFacts(scan.buildBackend() == null ? "" : scan.buildBackend().name(), layers,
                scan.declaresFreeThreading(), modules, scan.limitedApi() != null && scan.limitedApi().used());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        b.stream().filter(x -> !out.contains(x)).forEach(out::add);
        return out;
    }

    private VariantRun runner(ProjectSpec spec, FetchedSource src, Toolchain tc, Path work, TestOptions o,
                              List<String> testRequirements) {
        return BuildThenTest.of(new Build(src.dir(), tc, work).pipCache(cacheRoot.resolve("pip")).env(spec.env())
                .testRequirements(testRequirements), o, progress);
    }

    /** From the import probes: true when no free-threaded import re-enabled the GIL, null when none was measured. */
    private static Boolean declares(Map<Variant, VariantResult> results) {
        List<Boolean> seen = new ArrayList<>();
        results.values().stream().filter(r -> r.variant().freeThreaded() && r.gilEnabledAfterImport() != null)
                .forEach(r -> seen.add(!r.gilEnabledAfterImport()));
        return seen.isEmpty() ? null : seen.stream().allMatch(b -> b);
    }

    private static void requireBuildFile(ProjectSpec spec, Path dir) {
        if (!Files.exists(dir.resolve("pyproject.toml")) && !Files.exists(dir.resolve("setup.py"))) {
            throw new UserInputException("project " + spec.name() + " (" + spec.source() + "): no"
                    + " pyproject.toml or setup.py at its root; point at the directory that has one (or set subdirectory)");
        }
    }
}
