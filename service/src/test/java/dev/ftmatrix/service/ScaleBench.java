package dev.ftmatrix.service;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of service/SCALING.md (measured, never asserted): {@code fill STORE PROJECTS TESTS} fills a store with
 * PROJECTS × 4 variants of results with TESTS tests each (one result per variant, as jobs store them);
 * {@code fill1 STORE PROJECT} stores one new result of PROJECT; {@code enqueue STORE JOBS} enqueues JOBS check jobs and times it and {@code status} on the queue.
 * Run with the service's test classpath: {@code java -cp ... dev.ftmatrix.service.ScaleBench fill build/bench 10000 400}.
 */
public final class ScaleBench {
    private static final List<String> VARIANTS = List.of("cp313", "cp313t", "cp314", "cp314t");

    public static void main(String[] args) throws Exception {
        StoreLocation at = StoreLocation.parse(args[1], Path.of(args[1]));
        switch (args[0]) {
            case "fill" -> fill(at, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "enqueue" -> enqueue(at, Integer.parseInt(args[2]));
            case "fill1" -> {
                try (ResultStore store = ResultStore.open(at, false)) {
                    store.put(result(args[2], "cp313t", 450, Verdict.READY));
                }
            }
            default -> throw new IllegalArgumentException("fill STORE PROJECTS TESTS | fill1 STORE PROJECT | enqueue STORE JOBS");
        }
    }

    static CheckResult result(String project, String variant, int tests, Verdict verdict) {
        Variant v = Variant.parse(variant);
        List<TestResult> ts = new ArrayList<>(tests);
        for (int i = 0; i < tests; i++) {
            ts.add(new TestResult("tests/test_" + project + "_module_" + (i / 50) + ".py::test_case_number_" + i
                    + "[param-" + (i % 7) + "]", i % 97 == 0 ? TestOutcome.SKIP : TestOutcome.PASS,
                    i % 97 == 0 ? "skipped: needs a network connection to the test server" : "", 3 + i % 40));
        }
        VariantResult vr = new VariantResult(v, variant + " 3.13.5 (debian-source)",
                new BuildResult(true, "", List.of(project + "-1.0-cp313-" + variant + "-linux_x86_64.whl"),
                        "building 'ext' extension\ngcc -O2 -fPIC -c src/ext.c -o build/ext.o\n".repeat(20), 12_000),
                List.of(project + "._ext"), false, "", ts, verdict, "reason for " + verdict.word(), "none", List.of());
        return new CheckResult(CheckResult.SCHEMA, project, "pypi:" + project + "==1.0", "sha256:" + project.hashCode(),
                true, null, List.of(), CheckResult.byId(Map.of(v, vr)), Instant.now().toString(), Pipeline.STAGES);
    }

    private static void fill(StoreLocation at, int projects, int tests) {
        long t0 = System.nanoTime();
        long bytes = 0;
        try (ResultStore store = ResultStore.open(at, false)) {
            for (int p = 0; p < projects; p++) {
                String name = String.format("project-%05d", p);
                for (String v : VARIANTS) {
                    CheckResult r = result(name, v, tests, p % 3 == 0 && v.endsWith("t") ? Verdict.FT_FAILURES
                            : Verdict.READY);
                    if (p == 0) {
                        bytes = new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules()
                                .writeValueAsString(r).length();
                    }
                    store.put(r);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        System.out.printf("fill: %d projects x %d variants, %d bytes of JSON a result, in %.1f s%n", projects,
                VARIANTS.size(), bytes, (System.nanoTime() - t0) / 1e9);
    }

    private static void enqueue(StoreLocation at, int jobs) throws Exception {
        List<CheckJob> all = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            all.add(new CheckJob(String.format("project-%05d", i / 4), "pypi:project-" + i / 4 + "==1.0", "", "",
                    VARIANTS.get(i % 4), Map.of(), List.of(), List.of()));
        }
        try (ResultStore store = ResultStore.open(at, false); JobEngine engine = JobEngine.open(at)) {
            long t0 = System.nanoTime();
            engine.enqueue(all);
            double enqueue = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            JobEngine.JobCounts c = engine.counts();
            int projects = store.projects().size();
            double status = (System.nanoTime() - t1) / 1e9;
            System.out.printf("enqueue: %d jobs in %.2f s (%.2f ms a job); status (%s, %d projects) in %.3f s%n", jobs,
                    enqueue, 1000 * enqueue / jobs, c, projects, status);
        }
    }
}
