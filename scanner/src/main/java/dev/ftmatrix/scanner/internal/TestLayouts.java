package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.scanner.ProjectScan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where a project's tests live and what they need: what its own CI installs for them, read from dependency groups,
 * extras, setup.py, setup.cfg, requirements files and tox's base env, without running anything. In each place a
 * {@code dev} group or file counts only when the place has no test one: a project that keeps both means dev for the
 * developer's desk (linters, docs, tox itself), test for the test run.
 */
public final class TestLayouts {
    private static final Pattern TEST_GROUP = Pattern.compile("(?i)tests?|testing|ci");
    private static final Pattern DEV_GROUP = Pattern.compile("(?i)dev");
    private static final Pattern TEST_FILE = Pattern.compile("(^|.*/)(test_[^/]*|[^/]*_test)\\.py$");
    private static final Pattern TEST_DIR = Pattern.compile("tests?|testing");
    private static final Pattern TEST_REQ_FILE = Pattern.compile(
            "(?i)(requirements[-_]test[^/]*|requirements/test[^/]*|tests?[-_]requirements|tests/requirements)\\.(txt|in)");
    private static final Pattern DEV_REQ_FILE = Pattern.compile(
            "(?i)(requirements[-_]dev|requirements/dev|dev[-_]requirements)\\.(txt|in)");

    private TestLayouts() {
    }

    /** @param project the project's name, to leave it out of its own requirements (null when unknown) */
    public static ProjectScan.Tests find(SourceTree tree, JsonNode pyproject, String project) {
        Set<String> dirs = new TreeSet<>();
        for (String f : tree.files()) {
            if (TEST_FILE.matcher(f).matches() && !SourceTree.vendored(f) && !f.matches("(^|.*/)(docs?|_?examples?)/.*")) {
                dirs.add(testRoot(f));
            }
        }
        IniFile setupCfg = IniFile.parse(tree.exists("setup.cfg") ? tree.text("setup.cfg") : "");
        SetupPyRequirements setupPy = SetupPyRequirements.read(tree.exists("setup.py") ? tree.text("setup.py") : "");
        Map<String, SourcedRequirements> extras = new LinkedHashMap<>();
        JsonNode optional = pyproject.path("project").path("optional-dependencies");
        optional.fieldNames().forEachRemaining(n -> extras.putIfAbsent(Requirements.normalize(n), new SourcedRequirements(
                "pyproject.toml [project.optional-dependencies] " + n, PyprojectToml.strings(optional.path(n)))));
        setupCfg.section("options.extras_require").forEach((n, v) -> extras.putIfAbsent(Requirements.normalize(n),
                new SourcedRequirements("setup.cfg [options.extras_require] " + n, v.lines().toList())));
        setupPy.extras().forEach((n, v) -> extras.putIfAbsent(Requirements.normalize(n),
                new SourcedRequirements("setup.py extras_require " + n, v)));

        TestRequirements reqs = new TestRequirements(project, extras);
        JsonNode groups = pyproject.path("dependency-groups");
        for (String g : chosen(iterable(groups.fieldNames()))) {
            dependencyGroup(groups, g, new HashSet<>()).forEach(reqs::add);
        }
        reqs.addExtras(chosen(iterable(optional.fieldNames())));
        reqs.addExtras(chosen(setupCfg.section("options.extras_require").keySet()));
        String cfgTests = setupCfg.get("options", "tests_require");
        if (cfgTests != null) {
            reqs.add(new SourcedRequirements("setup.cfg [options] tests_require", cfgTests.lines().toList()));
        }
        if (!setupPy.testsRequire().isEmpty()) {
            reqs.add(new SourcedRequirements("setup.py tests_require", setupPy.testsRequire()));
        }
        reqs.addExtras(chosen(setupPy.extras().keySet()));
        Set<String> read = new HashSet<>();
        for (String f : requirementFiles(tree)) {
            RequirementFiles.read(tree, f, read).forEach(reqs::add);
        }
        String tox = null;
        if (tree.exists("tox.ini")) {
            tox = "tox.ini";
            tox(reqs, ToxTestenv.read(IniFile.parse(tree.text("tox.ini")), "tox.ini", tree));
        } else if (pyproject.path("tool").path("tox").path("legacy_tox_ini").isTextual()) {
            tox = "pyproject.toml";
            tox(reqs, ToxTestenv.read(IniFile.parse(pyproject.path("tool").path("tox").path("legacy_tox_ini").asText()),
                    "pyproject.toml [tool.tox] legacy_tox_ini", tree));
        } else if (!pyproject.path("tool").path("tox").isMissingNode()) {
            tox = "pyproject.toml";
        }
        return new ProjectScan.Tests(List.copyOf(dirs), reqs.requirements(), reqs.sources(), tox);
    }

    private static void tox(TestRequirements reqs, ToxTestenv env) {
        env.deps().forEach(reqs::add);
        reqs.addExtras(env.extras());
    }

    /** The test-named ones, or the dev-named ones when there are none. */
    private static List<String> chosen(Iterable<String> names) {
        List<String> test = new ArrayList<>();
        List<String> dev = new ArrayList<>();
        for (String n : names) {
            if (TEST_GROUP.matcher(n).matches()) {
                test.add(n);
            } else if (DEV_GROUP.matcher(n).matches()) {
                dev.add(n);
            }
        }
        return test.isEmpty() ? dev : test;
    }

    /** The conventional requirements files at the root: test ones, else dev ones; a {@code .in} only without its {@code .txt}. */
    private static List<String> requirementFiles(SourceTree tree) {
        List<String> test = new ArrayList<>();
        List<String> dev = new ArrayList<>();
        for (String f : tree.files()) {
            if (f.endsWith(".in") && tree.exists(f.substring(0, f.length() - 3) + ".txt")) {
                continue;
            }
            if (TEST_REQ_FILE.matcher(f).matches()) {
                test.add(f);
            } else if (DEV_REQ_FILE.matcher(f).matches()) {
                dev.add(f);
            }
        }
        return test.isEmpty() ? dev : test;
    }

    /** PEP 735: the group's strings, and the groups it includes (each once, so a cycle ends). */
    private static List<SourcedRequirements> dependencyGroup(JsonNode groups, String name, Set<String> visited) {
        List<SourcedRequirements> out = new ArrayList<>();
        String key = null;
        for (String g : iterable(groups.fieldNames())) {
            if (Requirements.normalize(g).equals(Requirements.normalize(name))) {
                key = g;
            }
        }
        if (key == null || !visited.add(Requirements.normalize(key))) {
            return out;
        }
        String label = "pyproject.toml [dependency-groups] " + key;
        List<String> current = new ArrayList<>();
        for (JsonNode item : groups.path(key)) {
            if (item.isTextual()) {
                current.add(item.asText());
            } else if (item.path("include-group").isTextual()) {
                out.add(new SourcedRequirements(label, current));
                current = new ArrayList<>();
                out.addAll(dependencyGroup(groups, item.path("include-group").asText(), visited));
            }
        }
        out.add(new SourcedRequirements(label, current));
        return out;
    }

    private static Iterable<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** The directory up to the first {@code tests}/{@code test}/{@code testing} part, else the file's directory. */
    private static String testRoot(String f) {
        String[] parts = f.split("/");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            sb.append(i == 0 ? "" : "/").append(parts[i]);
            if (TEST_DIR.matcher(parts[i]).matches()) {
                return sb.toString();
            }
        }
        String dir = SourceTree.dirOf(f);
        return dir.isEmpty() ? "." : dir;
    }
}
