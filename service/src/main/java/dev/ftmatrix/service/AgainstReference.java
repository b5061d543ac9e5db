package dev.ftmatrix.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.builder.Build;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.scanner.ProjectScanner;
import dev.ftmatrix.scanner.SourceFetcher;
import dev.ftmatrix.testrunner.VariantRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ftm bench --against pytest-run-parallel SOURCE}: the project built once, then its suite run by the harness
 * and by pytest-run-parallel in the same venv, tree, environment and sandbox, with the same threads and iterations;
 * both wall times, where each spent them, and whether they ran the same tests and found the same failures.
 */
final class AgainstReference {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The harness's phases, as {@link dev.ftmatrix.testrunner.Harness#timings()} names them. */
    static final List<String> HARNESS_PHASES = List.of("harness start", "collection", "tests alone",
            "tests concurrently", "harness other");

    private final Path cache;
    private final Progress progress;

    AgainstReference(Path cache, Progress progress) {
        this.cache = cache;
        this.progress = progress;
    }

    /** What was measured; {@code error} is non-empty when the project could not be built or its suite not run. */
    record Figures(String source, String toolchain, String sandbox, int threads, int iterations,
                   Map<String, Long> harness, Map<String, Long> harnessStartup, long harnessMillis, Map<String, Long> reference, long referenceMillis,
                   double ratio, List<String> ftmTests, List<String> referenceTests, List<String> ftmFailing,
                   List<String> referenceFailing, String error) {
        boolean sameTests() {
            return new TreeSet<>(ftmTests).equals(new TreeSet<>(referenceTests));
        }

        boolean sameFailures() {
            return new TreeSet<>(ftmFailing).equals(new TreeSet<>(referenceFailing));
        }
    }

    Figures run(String source, Toolchain tc, TestOptions options, Path work) {
        FetchedSource src = new SourceFetcher(cache, progress).fetch(source, "", "", work.resolve("src"));
        ProjectScan scan = new ProjectScanner(SourceScan.scan(src.dir()).declaredModules()).scan(src);
        List<String> testRequirements = scan.tests() == null ? List.of() : scan.tests().requirements();
        VariantRun run = BuildThenTest.of(new Build(src.dir(), tc, work.resolve(tc.variant().id()))
                .pipCache(cache.resolve("pip")).testRequirements(testRequirements), options, progress);
        VariantRun.Outcome o = run.call();
        if (!o.ftmError().isEmpty() || !o.build().ok() || !o.importErrors().isEmpty()) {
            String why = !o.ftmError().isEmpty() ? "ftm failed at " + o.ftmError()
                    : !o.build().ok() ? "the build failed: " + o.build().reason()
                    : "the project's modules do not import: " + o.importErrors();
            return new Figures(src.pinned(), tc.label(), o.sandbox(), options.threads(), options.iterations(), Map.of(),
                    Map.of(), 0, Map.of(), 0, 0, List.of(), List.of(), List.of(), List.of(), why);
        }
        Map<String, Long> harness = new LinkedHashMap<>();
        Map<String, Long> all = run.timings().snapshot();
        HARNESS_PHASES.forEach(p -> harness.put(p, all.getOrDefault(p, 0L)));
        long harnessMillis = harness.values().stream().mapToLong(Long::longValue).sum();
        progress.report("[" + tc.variant() + "] the same suite with pytest-run-parallel (--parallel-threads="
                + options.threads() + ", --iterations=" + options.iterations() + ")");
        VariantRun.Reference ref = run.referenceRun();
        Map<String, Long> reference = new LinkedHashMap<>();
        reference.put("start", ref.startMillis());
        reference.put("collection", ref.collectMillis());
        reference.put("tests", ref.testsMillis());
        reference.put("other", Math.max(0, ref.wallMillis() - ref.startMillis() - ref.collectMillis() - ref.testsMillis()));
        List<String> ftmTests = o.tests().stream().map(TestResult::id).toList();
        List<String> ftmFailing = o.tests().stream().filter(t -> t.outcome().isBad()).map(TestResult::id).sorted().toList();
        List<String> refTests = ref.outcomes().keySet().stream().toList();
        List<String> refFailing = ref.outcomes().entrySet().stream()
                .filter(e -> e.getValue().equals("fail") || e.getValue().equals("error")).map(Map.Entry::getKey)
                .sorted().toList();
        String error = ref.outcomes().isEmpty() ? "pytest-run-parallel did not run the suite (exit " + ref.exitCode()
                + "):\n" + ref.tail() : "";
        double ratio = ref.wallMillis() == 0 ? 0 : (double) harnessMillis / ref.wallMillis();
        return new Figures(src.pinned(), tc.label(), o.sandbox(), options.threads(), options.iterations(), harness,
                startup(work.resolve(tc.variant().id()).resolve("harness").resolve("events-0.jsonl")), harnessMillis, reference, ref.wallMillis(), ratio, ftmTests, refTests, ftmFailing, refFailing, error);
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the harness wrote an event that is not JSON: " + line, e);
        }
    }

    /** The first child's start-up, step by step (ms each): JVM, interpreter, imports, pytest. */
    static Map<String, Long> startup(Path events) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!Files.exists(events)) {
            return out;
        }
        try (var lines = Files.lines(events)) {
            lines.filter(l -> l.startsWith("{\"ev\":\"collected\"")).findFirst().ifPresent(l -> {
                long[] before = {0};
                json(l).path("startup").properties().forEach(e -> {
                    out.put(e.getKey(), e.getValue().asLong() - before[0]);
                    before[0] = e.getValue().asLong();
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static void print(Figures f, PrintStream out) {
        out.printf(Locale.ROOT, "ftm bench --against pytest-run-parallel: %s on %s, %d thread(s), %d iteration(s),"
                + " sandbox %s%n", f.source(), f.toolchain(), f.threads(), f.iterations(), f.sandbox());
        if (!f.error().isEmpty() && f.harness().isEmpty()) {
            out.println("  not measured: " + f.error());
            return;
        }
        out.printf(Locale.ROOT, "  %-22s %12s %22s%n", "", "ftm harness", "pytest-run-parallel");
        row(out, "start", f.harness().get("harness start"), f.reference().get("start"));
        f.harnessStartup().forEach((k, v) -> row(out, "  " + k, v, null));
        row(out, "collection", f.harness().get("collection"), f.reference().get("collection"));
        row(out, "tests alone", f.harness().get("tests alone"), null);
        row(out, "tests concurrently", f.harness().get("tests concurrently"), f.reference().get("tests"));
        row(out, "other", f.harness().get("harness other"), f.reference().get("other"));
        out.printf(Locale.ROOT, "  %-22s %10.2f s %20.2f s   ratio %.2f%n", "wall", f.harnessMillis() / 1000.0,
                f.referenceMillis() / 1000.0, f.ratio());
        out.printf(Locale.ROOT, "  %-22s %12d %22d   %s%n", "tests", f.ftmTests().size(), f.referenceTests().size(),
                f.sameTests() ? "the same tests" : "differ: " + diff(f.ftmTests(), f.referenceTests()));
        out.printf(Locale.ROOT, "  %-22s %12d %22d   %s%n", "failing", f.ftmFailing().size(), f.referenceFailing().size(),
                f.sameFailures() ? "the same failures" : "differ: " + diff(f.ftmFailing(), f.referenceFailing()));
        if (!f.error().isEmpty()) {
            out.println("  " + f.error());
        }
    }

    private static void row(PrintStream out, String name, Long ftm, Long ref) {
        out.printf(Locale.ROOT, "  %-22s %12s %22s%n", name, ftm == null ? "-" : String.format(Locale.ROOT, "%.2f s", ftm / 1000.0),
                ref == null ? "-" : String.format(Locale.ROOT, "%.2f s", ref / 1000.0));
    }

    /** The ids only one side has, a few of each. */
    static String diff(List<String> ftm, List<String> ref) {
        Set<String> a = new TreeSet<>(ftm);
        Set<String> b = new TreeSet<>(ref);
        List<String> onlyFtm = new ArrayList<>(a);
        onlyFtm.removeAll(b);
        List<String> onlyRef = new ArrayList<>(b);
        onlyRef.removeAll(a);
        return "ftm only " + onlyFtm.size() + " " + onlyFtm.stream().limit(3).toList() + ", pytest-run-parallel only "
                + onlyRef.size() + " " + onlyRef.stream().limit(3).toList();
    }
}
