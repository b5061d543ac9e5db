package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.scanner.ProjectScan;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Project-wide declarations: the free-threading trove classifier and the use of the limited API. */
public final class ProjectFacts {
    private static final Pattern CLASSIFIER = Pattern.compile(
            "Programming Language :: Python :: Free Threading :: ([0-9] - [A-Za-z ]*[A-Za-z])");
    private static final Pattern LIMITED_C = Pattern.compile("(?m)^\\s*#\\s*define\\s+Py_LIMITED_API\\b");
    private static final Pattern LIMITED_BUILD = Pattern.compile(
            "\\bpy_limited_api\\s*[=:]\\s*(True|[\"']?cp3\\d+)|[\"'-]DPy_LIMITED_API|[(\\[,]\\s*[\"']Py_LIMITED_API[\"']"
                    + "|\\blimited_api\\s*:\\s*'|\\bwheel\\.py-api\\s*=\\s*\"cp3|\\bpy-api\\s*=\\s*\"cp3"
                    + "|\\bUSE_SABI\\b|\"abi3(-py3\\d+)?\"");
    private static final List<String> CLASSIFIER_FILES = List.of("pyproject.toml", "setup.cfg", "setup.py", "PKG-INFO");

    private ProjectFacts() {
    }

    /** The classifier's level ({@code 2 - Beta}), or null when the project does not carry it. */
    public static ProjectScan.Classifier classifier(SourceTree tree) {
        for (String f : CLASSIFIER_FILES) {
            if (tree.exists(f)) {
                Matcher m = CLASSIFIER.matcher(tree.text(f));
                if (m.find()) {
                    return new ProjectScan.Classifier(m.group(1), f + ":" + tree.lineAt(f, m.start()));
                }
            }
        }
        return null;
    }

    public static ProjectScan.LimitedApi limitedApi(SourceTree tree) {
        List<String> evidence = new ArrayList<>();
        for (String f : tree.files()) {
            if (SourceTree.vendored(f) || SourceTree.notShipped(f)) {
                continue;
            }
            String name = f.substring(f.lastIndexOf('/') + 1);
            if (f.matches(".*\\.(c|cc|cpp|cxx|h|hpp|pyx|pxd)$")) {
                evidence.addAll(tree.findAll(f, LIMITED_C));
            } else if (name.equals("setup.py") || name.equals("setup.cfg") || name.equals("pyproject.toml")
                    || name.equals("meson.build") || name.equals("CMakeLists.txt") || name.equals("Cargo.toml")) {
                evidence.addAll(tree.findAll(f, LIMITED_BUILD));
            }
        }
        return new ProjectScan.LimitedApi(!evidence.isEmpty(), evidence);
    }
}
