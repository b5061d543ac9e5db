package dev.ftmatrix.scanner.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tox installs into its base {@code [testenv]}: {@code deps} (with {@code -r} files followed and
 * {@code {[section]key}} substituted) and {@code extras}. A {@code py313: foo} line becomes {@code foo} with a
 * {@code python_version} marker; a line for any other factor ({@code cov: pytest-cov}) is not the default env's.
 *
 * @param deps the deps and the requirements files they name, in order
 * @param extras the project's extras the env installs
 */
record ToxTestenv(List<SourcedRequirements> deps, List<String> extras) {
    private static final Pattern SUBSTITUTION = Pattern.compile("\\{\\[([^\\]]+)\\]([^}]+)\\}");
    private static final Pattern FACTORS = Pattern.compile("^([!A-Za-z0-9_.{},-]+)\\s*:(?!/)\\s*(.*)$");
    private static final Pattern PY_FACTOR = Pattern.compile("py(?:thon)?(\\d)?(?:\\.?(\\d+))?t?");
    private static final Pattern INCLUDE = Pattern.compile("^(?:-r|--requirement)(?:\\s*=\\s*|\\s*)(\\S+)$");

    ToxTestenv {
        deps = List.copyOf(deps);
        extras = List.copyOf(extras);
    }

    /** The base env of {@code ini}; {@code label} names the file in sources ({@code tox.ini}). */
    static ToxTestenv read(IniFile ini, String label, SourceTree tree) {
        List<SourcedRequirements> deps = new ArrayList<>();
        List<String> current = new ArrayList<>();
        String source = label + " [testenv] deps";
        Set<String> seen = new HashSet<>();
        for (String raw : substitute(ini, ini.get("testenv", "deps"), 0).split("\n")) {
            String line = raw.replace("{toxinidir}/", "").replace("{toxinidir}", ".").strip();
            String marker = "";
            Matcher f = FACTORS.matcher(line);
            if (f.matches()) {
                marker = factorMarker(f.group(1));
                if (marker == null) {
                    continue;
                }
                line = f.group(2).strip();
            }
            line = line.replaceFirst("^(?:-e|--editable)(?:\\s*=\\s*|\\s*)", "");
            Matcher include = INCLUDE.matcher(line);
            if (include.matches()) {
                deps.add(new SourcedRequirements(source, current));
                current = new ArrayList<>();
                for (SourcedRequirements part : RequirementFiles.read(tree, RequirementFiles.relativeTo("", include.group(1)), seen)) {
                    String m = marker;
                    deps.add(new SourcedRequirements(part.source(),
                            part.requirements().stream().map(r -> Requirements.withMarker(r, m)).toList()));
                }
            } else if (!line.isEmpty() && !line.startsWith("-") && !line.contains("{")) {
                current.add(Requirements.withMarker(line, marker));
            }
        }
        deps.add(new SourcedRequirements(source, current));
        List<String> extras = new ArrayList<>();
        String ex = ini.get("testenv", "extras");
        if (ex != null) {
            for (String e : ex.split("[,\\n]")) {
                if (!e.isBlank() && !FACTORS.matcher(e.strip()).matches()) {
                    extras.add(e.strip());
                }
            }
        }
        return new ToxTestenv(deps.stream().filter(p -> !p.requirements().isEmpty()).toList(), extras);
    }

    /** {@code {[section]key}} replaced by that value, a few levels deep; unknown ones are left for the caller. */
    private static String substitute(IniFile ini, String value, int depth) {
        if (value == null) {
            return "";
        }
        if (depth > 5) {
            return value;
        }
        Matcher m = SUBSTITUTION.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = ini.get(m.group(1).strip(), m.group(2).strip().toLowerCase(Locale.ROOT));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : substitute(ini, v, depth + 1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * The marker under which a {@code factors:} line applies to the base env run on CPython: empty for always, null
     * for never. {@code a,b} is either, {@code a-b} both, {@code !a} not a, {@code py3{12,13}} expands.
     */
    static String factorMarker(String expression) {
        List<List<String>> alternatives = new ArrayList<>();
        for (String group : expandBraces(expression)) {
            List<String> all = new ArrayList<>();
            boolean possible = true;
            for (String factor : group.split("-")) {
                boolean negated = factor.startsWith("!");
                Matcher py = PY_FACTOR.matcher(negated ? factor.substring(1) : factor);
                if (py.matches() && py.group(2) != null) {
                    all.add("python_version " + (negated ? "!=" : "==") + " \"" + py.group(1) + "." + py.group(2) + "\"");
                } else if (py.matches() && (py.group(1) == null || py.group(1).equals("3"))) {
                    possible &= !negated;
                } else {
                    possible &= negated; // another factor (cov, numpy, pypy3, lint) is not in the base env
                }
            }
            if (possible && all.isEmpty()) {
                return "";
            }
            if (possible) {
                alternatives.add(all);
            }
        }
        if (alternatives.isEmpty()) {
            return null;
        }
        return String.join(" or ", alternatives.stream().map(a -> alternatives.size() > 1 && a.size() > 1
                ? "(" + String.join(" and ", a) + ")" : String.join(" and ", a)).toList());
    }

    /** {@code py3{12,13}-x,lint} as {@code [py312-x, py313-x, lint]}. */
    private static List<String> expandBraces(String expression) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= expression.length(); i++) {
            char c = i < expression.length() ? expression.charAt(i) : ',';
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.addAll(expandOne(expression.substring(start, i).strip()));
                start = i + 1;
            }
        }
        return out;
    }

    private static List<String> expandOne(String term) {
        int open = term.indexOf('{');
        int close = term.indexOf('}', open + 1);
        if (open < 0 || close < 0) {
            return term.isEmpty() ? List.of() : List.of(term);
        }
        List<String> out = new ArrayList<>();
        for (String alt : term.substring(open + 1, close).split(",")) {
            out.addAll(expandOne(term.substring(0, open) + alt.strip() + term.substring(close + 1)));
        }
        return out;
    }
}
