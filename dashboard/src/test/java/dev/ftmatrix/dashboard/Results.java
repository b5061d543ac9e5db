package dev.ftmatrix.dashboard;

import dev.ftmatrix.core.BuildResult;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test data: CheckResult records as the pipeline writes them. */
final class Results {
    static final List<String> VARIANTS = List.of("cp313", "cp313t", "cp314", "cp314t");

    private Results() {
    }

    /** A project whose variants got the given verdicts ({@code cp313t=ready, ...}), finished at {@code at}. */
    static CheckResult of(String project, String at, Map<String, Verdict> verdicts) {
        return of(project, at, verdicts, List.of());
    }

    static CheckResult of(String project, String at, Map<String, Verdict> verdicts, List<Finding> findings) {
        Map<String, VariantResult> vs = new LinkedHashMap<>();
        verdicts.forEach((id, verdict) -> vs.put(id, variant(Variant.parse(id), verdict)));
        return new CheckResult(CheckResult.SCHEMA, project, "git+file:///src/" + project + "@0123abcd",
                "git:0123abcd" + Integer.toHexString(project.hashCode()), verdicts.values().stream()
                .allMatch(v -> v == Verdict.READY), facts(project), findings, new java.util.TreeMap<>(vs), at);
    }

    /** Every third project is a Cython one, the rest use the C API. */
    static dev.ftmatrix.core.SourceFacts facts(String project) {
        boolean cython = Math.floorMod(project.hashCode(), 3) == 0;
        String layer = cython ? "cython" : "c-api";
        return new dev.ftmatrix.core.SourceFacts("setuptools", List.of(cython ? "cython 3.1.2" : "c-api"), true,
                List.of(new dev.ftmatrix.core.SourceFacts.DeclaredModule(project.replace('-', '_'), layer, "not-used",
                        "Py_mod_gil slot", "src/" + project + ".c:12", "src/" + project + ".c:40")), false);
    }

    static VariantResult variant(Variant v, Verdict verdict) {
        if (verdict == Verdict.SKIPPED) {
            return VariantResult.skipped(v, "no " + v + " toolchain");
        }
        if (verdict == Verdict.BUILD_FAILED) {
            return new VariantResult(v, v + " 3.13.5 (debian-source)", BuildResult.failed("pip wheel failed (exit 1)",
                    "src/mod.c:12:5: error: 'PyObject' has no member named 'ob_refcnt'\nerror: command 'gcc' failed", 2100),
                    List.of(), null, "", List.of(), verdict, "pip wheel failed (exit 1)", "container",
                    List.of(new dev.ftmatrix.core.PatchedBuild("cython", ">=3.0,<3.1", "3.1.2", "build requirement Cython>=3.1",
                            verdict, "binding-layer-too-old: unknown type name '__pyx_vectorcallfunc'", Verdict.READY,
                            "2 test(s) pass", "require Cython>=3.1 in [build-system] requires")));
        }
        List<TestResult> tests = new ArrayList<>();
        tests.add(new TestResult("tests/test_mod.py::test_add", TestOutcome.PASS, "", 12));
        TestOutcome second = switch (verdict) {
            case FT_FAILURES -> TestOutcome.FAIL;
            case CRASH -> TestOutcome.CRASH;
            case HANG -> TestOutcome.HANG;
            default -> TestOutcome.PASS;
        };
        tests.add(new TestResult("tests/test_mod.py::test_counter_threads", second, second == TestOutcome.PASS ? ""
                : "Traceback (most recent call last):\n  File \"tests/test_mod.py\", line 9, in test_counter_threads\n"
                + "AssertionError: assert 39712 == 40000", 840));
        return new VariantResult(v, v + " 3.13.5 (debian-source)",
                new BuildResult(true, "", List.of("mod-1.0-" + v + "-" + v + "-linux_x86_64.whl"), "Successfully built mod", 1500),
                List.of("mod"), verdict == Verdict.WORKS_UNDECLARED, verdict == Verdict.WORKS_UNDECLARED ? "mod" : "",
                tests, verdict, "because: " + verdict.word(), "none", List.of());
    }

    static Map<String, Verdict> verdicts(Object... idAndVerdict) {
        Map<String, Verdict> m = new LinkedHashMap<>();
        for (int i = 0; i < idAndVerdict.length; i += 2) {
            m.put((String) idAndVerdict[i], (Verdict) idAndVerdict[i + 1]);
        }
        return m;
    }

    /** {@code n} projects with names like PyPI's and verdicts drawn from a seeded random source. */
    static List<CheckResult> generated(int n, long seed) {
        Random random = new Random(seed);
        Verdict[] all = Verdict.values();
        List<CheckResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Verdict> vs = new LinkedHashMap<>();
            for (String v : VARIANTS) {
                vs.put(v, all[random.nextInt(all.length)]);
            }
            out.add(of(String.format("project-%04d-%s", i, Long.toString(random.nextLong() & 0xffffff, 36)),
                    String.format("2026-11-%02dT%02d:00:00Z", 1 + i % 28, i % 24), vs));
        }
        return out;
    }
}
