package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python extension modules a CMake build (scikit-build-core, or CMake driven by setup.py) defines, read from the
 * root {@code CMakeLists.txt} with {@code add_subdirectory} followed: targets made by {@code python_add_library},
 * {@code pybind11_add_module}, {@code nanobind_add_module} or {@code add_library(... MODULE)}, also through the
 * project's own functions; named by {@code OUTPUT_NAME} and placed in the package their
 * {@code install(TARGETS ... DESTINATION ...)} gives. {@code if()} branches are followed as on Linux; a target in a
 * branch Linux does not take is kept with the role that branch gives ({@code other-platform}, {@code optional}).
 * Nothing is configured or run.
 */
final class CMakeModules {
    private static final Pattern COMMAND = Pattern.compile("(?m)^[ \\t]*([A-Za-z_]\\w*)[ \\t]*\\(");
    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)\\}");
    private static final Pattern TOKEN = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s\"]+)");
    private static final Pattern MODULE_COMMAND = Pattern.compile(
            "(?i)python3?_add_library|pybind11_add_module|nanobind_add_module");
    private static final Pattern OTHER_PLATFORM = Pattern.compile("\\b(WIN32|APPLE|MSVC|CYGWIN|MINGW|IOS|ANDROID"
            + "|EMSCRIPTEN|Windows|Darwin)\\b");
    private static final Pattern SOURCE = Pattern.compile(".*\\.(c|cc|cpp|cxx|pyx)$");
    private static final int MAX_DEPTH = 8;
    private static final Pattern DEFINE_ARG = Pattern.compile("-D(\\w+)(?::\\w+)?=(.*)");
    private static final Pattern BRACKET_COMMENT = Pattern.compile("(?s)#\\[(=*)\\[.*?\\]\\1\\]");
    private static final Set<String> INSTALL_KEYWORDS = Set.of("EXPORT", "ARCHIVE", "LIBRARY",
            "RUNTIME", "DESTINATION", "COMPONENT", "INCLUDES", "PUBLIC_HEADER", "PRIVATE_HEADER", "FRAMEWORK",
            "BUNDLE", "OBJECTS", "RESOURCE", "FILE_SET", "CXX_MODULES_BMI", "PERMISSIONS", "CONFIGURATIONS",
            "OPTIONAL", "NAMELINK_ONLY", "NAMELINK_SKIP", "RUNTIME_DEPENDENCIES", "RUNTIME_DEPENDENCY_SET");

    private record Command(String name, List<String> args, String file, int line) {
    }

    private record Function(List<String> params, List<Command> body) {
    }

    /** A module target. */
    private static final class Target {
        final String name;
        final List<String> sources;
        final String evidence;
        final String role;
        final String roleEvidence;
        String outputName;
        String destination;
        final List<String> flags = new ArrayList<>();

        Target(String name, List<String> sources, String evidence, String role, String roleEvidence) {
            this.name = name;
            this.sources = sources;
            this.evidence = evidence;
            this.role = role;
            this.roleEvidence = roleEvidence;
        }
    }

    /** One open {@code if}: whether its current branch runs, whether a branch ran, and why a branch does not. */
    private static final class Frame {
        boolean active;
        boolean taken;
        boolean parentActive;
        String role;
        String roleEvidence;
    }

    private final SourceTree tree;
    private final Map<String, Function> functions = new HashMap<>();
    private final Map<String, Target> targets = new LinkedHashMap<>();

    private CMakeModules(SourceTree tree) {
        this.tree = tree;
    }

    /** The modules of the CMake build rooted at {@code root} ({@code CMakeLists.txt}); none when it defines none. */
    static List<BuildDeclarations.Declared> read(SourceTree tree, JsonNode pyproject) {
        String projectName = pyproject.path("project").path("name").asText(null);
        CMakeModules m = new CMakeModules(tree);
        Map<String, String> vars = new HashMap<>();
        // what scikit-build-core passes with -D: [tool.scikit-build] cmake.define (and the older cmake.args)
        JsonNode skb = pyproject.path("tool").path("scikit-build");
        JsonNode define = skb.path("cmake").path("define");
        define.fieldNames().forEachRemaining(k -> {
            JsonNode v = define.get(k);
            vars.put(k, v.isBoolean() ? (v.asBoolean() ? "ON" : "OFF") : v.isValueNode() ? v.asText() : "");
        });
        for (JsonNode arg : skb.path("cmake").path("args")) {
            Matcher d = DEFINE_ARG.matcher(arg.asText());
            if (d.matches()) {
                vars.put(d.group(1), d.group(2));
            }
        }
        vars.put("SKBUILD", "ON");
        vars.put("PROJECT_IS_TOP_LEVEL", "ON");
        vars.put("SKBUILD_PROJECT_NAME", projectName == null ? "" : projectName);
        vars.put("SKBUILD_PLATLIB_DIR", ".");
        vars.put("CMAKE_INSTALL_PREFIX", ".");
        m.file("CMakeLists.txt", vars, 0);
        List<BuildDeclarations.Declared> out = new ArrayList<>();
        for (Target t : m.targets.values()) {
            String base = t.outputName != null ? t.outputName : t.name;
            String pkg = t.destination == null ? "" : packageOf(t.destination);
            String role = t.role;
            if (role.equals("shipped") && SourceTree.notShipped(t.evidence)) {
                role = "test";
            }
            out.add(new BuildDeclarations.Declared(pkg.isEmpty() ? base : pkg + "." + base, t.sources, t.evidence,
                    role, t.roleEvidence, t.flags));
        }
        return out;
    }

    /** {@code ./boost_histogram/} → {@code boost_histogram}; unresolved variables are dropped. */
    private static String packageOf(String destination) {
        List<String> parts = new ArrayList<>();
        for (String p : destination.replace('\\', '/').split("/")) {
            if (!p.isEmpty() && !p.equals(".") && !p.contains("${")) {
                parts.add(p);
            }
        }
        return String.join(".", parts);
    }

    private void file(String rel, Map<String, String> vars, int depth) {
        if (depth > MAX_DEPTH || !tree.exists(rel)) {
            return;
        }
        String dir = SourceTree.dirOf(rel);
        vars.put("CMAKE_CURRENT_SOURCE_DIR", dir);
        vars.put("CMAKE_CURRENT_LIST_DIR", dir);
        run(parse(rel), vars, depth, new ArrayList<>());
    }

    private List<Command> parse(String rel) {
        // comments go, their line breaks stay (evidence keeps its line numbers)
        String text = BRACKET_COMMENT.matcher(tree.text(rel)).replaceAll(c -> c.group().replaceAll("[^\\n]", ""))
                .replaceAll("(?m)#.*$", "");
        List<Command> out = new ArrayList<>();
        Matcher m = COMMAND.matcher(text);
        int from = 0;
        int line = 1;
        int lineFrom = 0;
        while (m.find(from)) {
            String args = Balanced.args(text, m.end() - 1);
            List<String> tokens = new ArrayList<>();
            Matcher t = TOKEN.matcher(args);
            while (t.find()) {
                tokens.add(t.group(1) != null ? t.group(1) : t.group(2));
            }
            line += (int) text.substring(lineFrom, m.start()).chars().filter(ch -> ch == '\n').count();
            lineFrom = m.start();
            out.add(new Command(m.group(1).toLowerCase(Locale.ROOT), tokens, rel, line));
            from = Math.min(text.length(), m.end() + args.length());
        }
        return out;
    }

    private void run(List<Command> commands, Map<String, String> vars, int depth, List<Frame> ifs) {
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            boolean active = ifs.isEmpty() || ifs.getLast().active;
            switch (c.name()) {
                case "if" -> {
                    Frame f = new Frame();
                    f.parentActive = active;
                    Boolean v = condition(c.args(), vars);
                    f.active = active && v != Boolean.FALSE;
                    f.taken = v == Boolean.TRUE;
                    if (v == Boolean.FALSE) {
                        skipReason(f, c);
                    }
                    ifs.add(f);
                }
                case "elseif" -> {
                    if (ifs.isEmpty()) {
                        continue;
                    }
                    Frame f = ifs.getLast();
                    Boolean v = condition(c.args(), vars);
                    f.active = f.parentActive && !f.taken && v != Boolean.FALSE;
                    f.taken |= v == Boolean.TRUE;
                    if (!f.active) {
                        skipReason(f, c);
                    }
                }
                case "else" -> {
                    if (!ifs.isEmpty()) {
                        Frame f = ifs.getLast();
                        f.active = f.parentActive && !f.taken;
                    }
                }
                case "endif" -> {
                    if (!ifs.isEmpty()) {
                        ifs.removeLast();
                    }
                }
                case "function", "macro" -> {
                    int end = endOf(commands, i, c.name());
                    List<String> params = c.args().isEmpty() ? List.of() : c.args().subList(1, c.args().size());
                    if (!c.args().isEmpty()) {
                        functions.put(c.args().getFirst().toLowerCase(Locale.ROOT),
                                new Function(List.copyOf(params), List.copyOf(commands.subList(i + 1, end))));
                    }
                    i = end;
                }
                default -> command(c, vars, depth, active, ifs);
            }
        }
    }

    private void command(Command c, Map<String, String> vars, int depth, boolean active, List<Frame> ifs) {
        List<String> a = c.args().stream().map(s -> expand(s, vars)).toList();
        if (a.isEmpty()) {
            return;
        }
        String role = "shipped";
        String roleEvidence = null;
        for (Frame f : ifs) {
            if (!f.active && f.role != null) {
                role = f.role;
                roleEvidence = f.roleEvidence;
            }
        }
        if (!active && role.equals("shipped")) {
            role = "optional";
        }
        switch (c.name()) {
            case "set" -> {
                if (active) {
                    List<String> value = a.subList(1, a.size()).stream().takeWhile(s -> !s.equals("CACHE")
                            && !s.equals("PARENT_SCOPE")).toList();
                    vars.put(a.getFirst(), String.join(";", value));
                }
            }
            case "option" -> {
                if (active && !vars.containsKey(a.getFirst())) {
                    vars.put(a.getFirst(), a.size() > 2 ? a.get(2) : "OFF");
                }
            }
            case "project" -> {
                vars.put("PROJECT_NAME", a.getFirst());
                vars.putIfAbsent("CMAKE_PROJECT_NAME", a.getFirst());
            }
            case "add_subdirectory" -> {
                String dir = BuildDeclarations.join(SourceTree.dirOf(c.file()), a.getFirst());
                if (active && !SourceTree.vendored(dir + "/")) {
                    Map<String, String> child = new HashMap<>(vars);
                    file(dir + "/CMakeLists.txt", child, depth + 1);
                }
            }
            case "add_library" -> {
                if (a.size() > 1 && a.get(1).equals("MODULE")) {
                    target(c, a, role, roleEvidence);
                }
            }
            case "target_compile_definitions", "target_compile_options" -> {
                Target t = targets.get(a.getFirst());
                if (t != null && active) {
                    boolean definitions = c.name().equals("target_compile_definitions");
                    a.subList(1, a.size()).stream().filter(x -> !x.matches("PRIVATE|PUBLIC|INTERFACE"))
                            .flatMap(x -> Arrays.stream(x.split(";")))
                            .forEach(x -> t.flags.add(definitions && !x.startsWith("-D") ? "-D" + x : x));
                }
            }
            case "set_target_properties" -> {
                int i = a.indexOf("OUTPUT_NAME");
                Target t = targets.get(a.getFirst());
                if (t != null && i > 0 && i + 1 < a.size()) {
                    t.outputName = a.get(i + 1);
                }
            }
            case "install" -> {
                if (a.getFirst().equals("TARGETS")) {
                    install(a, active);   // a branch not taken still tells where its own targets would go
                }
            }
            default -> {
                if (MODULE_COMMAND.matcher(c.name()).matches()) {
                    target(c, a, role, roleEvidence);
                } else if (functions.containsKey(c.name()) && depth < MAX_DEPTH) {
                    call(functions.get(c.name()), a, vars, depth, active, ifs);
                }
            }
        }
    }

    private void call(Function f, List<String> args, Map<String, String> vars, int depth, boolean active,
                      List<Frame> ifs) {
        Map<String, String> scope = new HashMap<>(vars);
        for (int i = 0; i < f.params().size(); i++) {
            scope.put(f.params().get(i), i < args.size() ? args.get(i) : "");
        }
        for (int i = 0; i < args.size(); i++) {
            scope.put("ARGV" + i, args.get(i));
        }
        scope.put("ARGN", String.join(";", args.subList(Math.min(f.params().size(), args.size()), args.size())));
        scope.put("ARGV", String.join(";", args));
        List<Frame> inner = new ArrayList<>(ifs);
        if (!active) {
            Frame off = new Frame();
            off.active = false;
            off.role = ifs.stream().filter(x -> !x.active && x.role != null).map(x -> x.role).findFirst().orElse("optional");
            inner.add(off);
        }
        run(f.body(), scope, depth + 1, inner);
    }

    private void target(Command c, List<String> a, String role, String roleEvidence) {
        String name = a.getFirst();
        if (name.contains("${") || name.isEmpty()) {
            return;
        }
        List<String> sources = new ArrayList<>();
        for (String s : a.subList(1, a.size())) {
            for (String one : s.split(";")) {
                if (SOURCE.matcher(one).matches() && !one.contains("${")) {
                    sources.add(one.startsWith("/") ? one.substring(1)
                            : one.contains("/") && tree.exists(one) ? one : BuildDeclarations.join(SourceTree.dirOf(c.file()), one));
                }
            }
        }
        targets.putIfAbsent(name, new Target(name, sources, c.file() + ":" + c.line(), role, roleEvidence));
    }

    private void install(List<String> a, boolean active) {
        List<String> names = new ArrayList<>();
        int i = 1;
        for (; i < a.size() && !INSTALL_KEYWORDS.contains(a.get(i)); i++) {
            names.addAll(List.of(a.get(i).split(";")));
        }
        String dest = null;
        for (int j = i; j < a.size() - 1; j++) {
            if (a.get(j).equals("DESTINATION")) {
                boolean library = j > 0 && (a.get(j - 1).equals("LIBRARY") || a.get(j - 1).equals("TARGETS"));
                if (dest == null || library) {
                    dest = a.get(j + 1);
                }
            }
        }
        for (String n : names) {
            Target t = targets.get(n);
            if (t != null && dest != null && (active || t.destination == null)) {
                t.destination = dest;
            }
        }
    }

    private static void skipReason(Frame f, Command c) {
        String text = String.join(" ", c.args());
        f.role = OTHER_PLATFORM.matcher(text).find() && !text.startsWith("NOT ") ? "other-platform" : "optional";
        f.roleEvidence = c.file() + ":" + c.line();
    }

    /** True or false as on Linux where the condition is simple enough to tell, else null (followed). */
    static Boolean condition(List<String> args, Map<String, String> vars) {
        if (args.size() == 1) {
            return truth(args.getFirst(), vars);
        }
        if (args.size() == 2 && args.getFirst().equals("NOT")) {
            Boolean v = truth(args.get(1), vars);
            return v == null ? null : !v;
        }
        if (args.size() == 3 && (args.get(1).equals("STREQUAL") || args.get(1).equals("MATCHES"))) {
            String left = vars.getOrDefault(args.getFirst(), args.getFirst());
            if (args.getFirst().equals("CMAKE_SYSTEM_NAME")) {
                left = "Linux";
            } else if (!vars.containsKey(args.getFirst()) && left.startsWith("${")) {
                return null;
            }
            String right = vars.getOrDefault(args.get(2), expand(args.get(2), vars));
            return left.equals(right) || args.get(1).equals("MATCHES") && left.matches(".*(" + right + ").*");
        }
        return null;
    }

    private static Boolean truth(String word, Map<String, String> vars) {
        switch (word) {
            case "WIN32", "APPLE", "MSVC", "CYGWIN", "MINGW", "IOS", "ANDROID", "EMSCRIPTEN", "BUILD_TESTING" -> {
                return vars.containsKey(word) ? constant(vars.get(word)) : Boolean.FALSE;
            }
            case "UNIX", "LINUX", "SKBUILD" -> {
                return Boolean.TRUE;
            }
            default -> {
                Boolean c = constant(word);
                if (c != null) {
                    return c;
                }
                if (!word.matches("\\w+")) {
                    return null;
                }
                return vars.containsKey(word) ? constant(vars.get(word)) : Boolean.FALSE;
            }
        }
    }

    private static Boolean constant(String v) {
        String u = v.toUpperCase(Locale.ROOT);
        if (u.matches("ON|YES|TRUE|Y|[1-9]\\d*")) {
            return Boolean.TRUE;
        }
        if (u.matches("OFF|NO|FALSE|N|0|IGNORE|NOTFOUND|") || u.endsWith("-NOTFOUND")) {
            return Boolean.FALSE;
        }
        return null;
    }

    private static String expand(String s, Map<String, String> vars) {
        String cur = s;
        for (int i = 0; i < 5 && cur.contains("${"); i++) {
            Matcher m = VAR.matcher(cur);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = vars.get(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group(0)));
            }
            m.appendTail(sb);
            if (sb.toString().equals(cur)) {
                break;
            }
            cur = sb.toString();
        }
        return cur;
    }

    private static int endOf(List<Command> commands, int start, String kind) {
        int depth = 0;
        for (int i = start; i < commands.size(); i++) {
            String n = commands.get(i).name();
            if (n.equals(kind)) {
                depth++;
            } else if (n.equals("end" + kind) && --depth == 0) {
                return i;
            }
        }
        return commands.size() - 1;
    }
}
