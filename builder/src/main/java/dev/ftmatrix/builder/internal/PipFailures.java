package dev.ftmatrix.builder.internal;

import dev.ftmatrix.support.PipRequirements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of the requirements given to a failed {@code pip wheel} made it fail, read from pip's own output: the
 * distributions it could not build or find, traced through its "Collecting X (from Y)" lines to the requirement that
 * pulled them in. Empty when pip's output does not say (a resolution conflict, a network error): the caller then
 * tries each requirement on its own.
 */
final class PipFailures {
    private static final String NAME = "([A-Za-z0-9][A-Za-z0-9._-]*)";
    private static final Pattern FAILED_WHEEL = Pattern.compile("(?m)^\\s*(?:ERROR: )?Failed building wheel for " + NAME);
    private static final Pattern FAILED_TO_BUILD = Pattern.compile("(?m)^(?:ERROR: )?Failed to build (?!one or more)([A-Za-z0-9._ -]+)$");
    private static final Pattern FAILED_INSTALLABLE = Pattern.compile(
            "(?m)^ERROR: Failed to build installable wheels for some pyproject\\.toml based projects \\(([^)]*)\\)");
    private static final Pattern FAILED_GETTING = Pattern.compile("(?m)^ERROR: Failed to build '" + NAME + "' when");
    private static final Pattern NO_DISTRIBUTION = Pattern.compile(
            "(?m)^ERROR: No matching distribution found for " + NAME + "[^\\n]*");
    private static final Pattern COLLECTING = Pattern.compile("(?m)^Collecting " + NAME + "[^\\n]*? \\(from " + NAME);
    /** A distribution pip took from a file (a find-links directory): {@code Processing ./wh/x-1.0.tar.gz (from y)}. */
    private static final Pattern PROCESSING = Pattern.compile(
            "(?m)^Processing \\S*?([A-Za-z0-9][A-Za-z0-9._]*?)-[0-9][^/\\s]*\\s+\\(from " + NAME);

    private static final Pattern COMPILER_ERROR = Pattern.compile(":\\d+:\\d+: (?:fatal )?error:");

    private PipFailures() {
    }

    /**
     * The requirements of {@code requirements} that pip's {@code output} blames, each with why; empty when a failure
     * in the output cannot be traced to one of them (then nothing is blamed).
     */
    static Map<String, String> culprits(String output, List<String> requirements) {
        Map<String, String> failed = new LinkedHashMap<>();   // canonical name -> why
        for (Pattern p : List.of(FAILED_WHEEL, FAILED_TO_BUILD, FAILED_INSTALLABLE, FAILED_GETTING)) {
            Matcher m = p.matcher(output);
            while (m.find()) {
                for (String n : m.group(1).split("[\\s,]+")) {
                    if (!n.isBlank()) {
                        failed.putIfAbsent(canonical(n), n + " failed to build" + buildError(output, n));
                    }
                }
            }
        }
        Matcher none = NO_DISTRIBUTION.matcher(output);
        while (none.find()) {
            failed.putIfAbsent(canonical(none.group(1)), "pip finds no release of " + none.group(1) + " for it ("
                    + none.group().strip() + ")");
        }
        if (failed.isEmpty()) {
            return Map.of();
        }
        Map<String, String> parent = new HashMap<>();
        for (Pattern p : List.of(COLLECTING, PROCESSING)) {
            Matcher c = p.matcher(output);
            while (c.find()) {
                parent.putIfAbsent(canonical(c.group(1)), canonical(c.group(2)));
            }
        }
        Map<String, String> byName = new LinkedHashMap<>();
        for (String r : requirements) {
            String name = PipRequirements.projectName(r);
            if (name != null) {
                byName.putIfAbsent(canonical(name), r);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : failed.entrySet()) {
            String top = f.getKey();
            Set<String> seen = new LinkedHashSet<>();
            while (!byName.containsKey(top) && parent.containsKey(top) && seen.add(top)) {
                top = parent.get(top);
            }
            String requirement = byName.get(top);
            if (requirement == null) {
                return Map.of();   // a failure pip's output does not tie to a requirement: blame none
            }
            String why = top.equals(f.getKey()) ? f.getValue() : "needs " + f.getValue();
            out.merge(requirement, why, (a, b) -> a + "; " + b);
        }
        return out;
    }

    private static String canonical(String name) {
        return PipRequirements.normalized(name);
    }

    /** The last compiler or backend {@code error:} line of {@code name}'s failed build, as {@code ": ..."}, or "". */
    private static String buildError(String output, String name) {
        int start = output.indexOf("Building wheel for " + name);
        int end = output.indexOf("Failed building wheel for " + name);
        if (start < 0 || end < start) {
            return "";
        }
        // a compiler's first diagnostic (file:line:col: error:), else the build's last own error line: not pip's
        // "subprocess-exited-with-error", not setuptools' "error: Command '[gcc ...]' failed"
        List<String> errors = new ArrayList<>();
        for (String l : output.substring(start, end).lines().map(String::strip).toList()) {
            if (COMPILER_ERROR.matcher(l).find()) {
                errors = new ArrayList<>(List.of(l));
                break;
            }
            if (l.contains("error:") && !l.contains("subprocess-exited-with-error") && !l.startsWith("error: Command '")) {
                errors.add(l);
            }
        }
        if (errors.isEmpty()) {
            return "";
        }
        String e = errors.getLast();
        return ": " + (e.length() > 240 ? e.substring(0, 240) + "..." : e);
    }
}
