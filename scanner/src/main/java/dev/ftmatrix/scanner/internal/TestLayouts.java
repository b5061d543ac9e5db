package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftmatrix.scanner.ProjectScan;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Where a project's tests live and what they need: extras, dependency groups, requirements files, tox. */
public final class TestLayouts {
    private static final Pattern TEST_GROUP = Pattern.compile("(?i)tests?|testing|dev|ci");
    private static final Pattern TEST_FILE = Pattern.compile("(^|.*/)(test_[^/]*|[^/]*_test)\\.py$");
    private static final Pattern TEST_DIR = Pattern.compile("tests?|testing");
    private static final Pattern REQ_FILE = Pattern.compile(
            "(?i)(^|/)(requirements[^/]*/[^/]*test[^/]*|[^/]*requirements[^/]*test[^/]*|[^/]*test[^/]*requirements[^/]*)"
                    + "\\.(txt|in)$");

    private TestLayouts() {
    }

    public static ProjectScan.Tests find(SourceTree tree, JsonNode pyproject) {
        Set<String> dirs = new TreeSet<>();
        for (String f : tree.files()) {
            if (TEST_FILE.matcher(f).matches() && !SourceTree.vendored(f) && !f.matches("(^|.*/)(docs?|_?examples?)/.*")) {
                dirs.add(testRoot(f));
            }
        }
        Set<String> reqs = new LinkedHashSet<>();
        List<String> sources = new ArrayList<>();
        groups(pyproject.path("project").path("optional-dependencies"), "pyproject.toml [project.optional-dependencies] ",
                reqs, sources);
        groups(pyproject.path("dependency-groups"), "pyproject.toml [dependency-groups] ", reqs, sources);
        for (String f : tree.files()) {
            if (REQ_FILE.matcher(f).find() && !SourceTree.vendored(f)) {
                sources.add(f);
                for (String line : tree.text(f).split("\n")) {
                    String l = line.replaceAll("\\s+#.*$", "").trim();
                    if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("-")) {
                        reqs.add(l);
                    }
                }
            }
        }
        if (tree.exists("setup.cfg")) {
            setupCfgExtras(tree.text("setup.cfg"), reqs, sources);
        }
        String tox = tree.exists("tox.ini") ? "tox.ini"
                : !pyproject.path("tool").path("tox").isMissingNode() ? "pyproject.toml" : null;
        return new ProjectScan.Tests(List.copyOf(dirs), List.copyOf(reqs), sources, tox);
    }

    private static void groups(JsonNode table, String label, Set<String> reqs, List<String> sources) {
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (TEST_GROUP.matcher(e.getKey()).matches()) {
                sources.add(label + e.getKey());
                reqs.addAll(PyprojectToml.strings(e.getValue()));
            }
        }
    }

    /** {@code [options.extras_require]} of setup.cfg: {@code test = pytest\n    hypothesis}. */
    private static void setupCfgExtras(String cfg, Set<String> reqs, List<String> sources) {
        boolean inSection = false;
        boolean inTestExtra = false;
        for (String raw : cfg.split("\n")) {
            String line = raw.replaceAll("\\s+[#;].*$", "");
            if (line.startsWith("[")) {
                inSection = line.trim().equals("[options.extras_require]");
                inTestExtra = false;
            } else if (inSection && !line.isBlank() && !Character.isWhitespace(line.charAt(0)) && line.contains("=")) {
                String key = line.substring(0, line.indexOf('=')).trim();
                inTestExtra = TEST_GROUP.matcher(key).matches();
                if (inTestExtra) {
                    sources.add("setup.cfg [options.extras_require] " + key);
                    String rest = line.substring(line.indexOf('=') + 1).trim();
                    if (!rest.isEmpty()) {
                        reqs.add(rest);
                    }
                }
            } else if (inSection && inTestExtra && !line.isBlank()) {
                reqs.add(line.trim());
            }
        }
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
