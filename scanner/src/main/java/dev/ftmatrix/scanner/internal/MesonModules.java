package dev.ftmatrix.scanner.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Python extension modules a meson-python build defines: {@code meson.build} files evaluated from the root with
 * {@code subdir()} followed, variables, lists, dictionaries, {@code foreach} loops, string methods and
 * {@code if} branches as on Linux ({@code host_machine.system()} is {@code linux}; options take their defaults from
 * {@code meson.options}); every {@code py.extension_module(name, ..., subdir: ...)} call is a module, with its
 * {@code cython_args}/{@code c_args}. A module in a branch Linux does not take, or with {@code install: false}, is
 * kept with that role. Nothing is configured or run.
 */
final class MesonModules {
    /** A value the reading cannot know (a compiler check, a dependency, a custom target's output). */
    private static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "UNKNOWN";
        }
    };
    private static final Pattern FORMAT = Pattern.compile("@(\\d+)@");
    private static final int MAX_DEPTH = 12;

    /** A named object ({@code py}, {@code host_machine}, a compiler) whose methods the reading knows a few of. */
    private record Obj(String kind) {
    }

    private final SourceTree tree;
    private final Map<String, Object> vars = new HashMap<>();
    private final Map<String, Object> options;
    private final List<BuildDeclarations.Declared> out = new ArrayList<>();
    private String file = "meson.build";
    private String role = "shipped";
    private String roleEvidence;

    private MesonModules(SourceTree tree) {
        this.tree = tree;
        this.options = options(tree);
        vars.put("host_machine", new Obj("machine"));
        vars.put("build_machine", new Obj("machine"));
        vars.put("target_machine", new Obj("machine"));
        vars.put("meson", new Obj("meson"));
    }

    /** The modules of the meson build at the tree's root. */
    static List<BuildDeclarations.Declared> read(SourceTree tree) {
        MesonModules m = new MesonModules(tree);
        m.runFile("meson.build", 0);
        return m.out;
    }

    /** Project options at their defaults, from {@code meson.options} (or {@code meson_options.txt}). */
    private static Map<String, Object> options(SourceTree tree) {
        Map<String, Object> out = new HashMap<>();
        for (String f : List.of("meson.options", "meson_options.txt")) {
            if (!tree.exists(f)) {
                continue;
            }
            try {
                for (MesonParser.Stmt s : new MesonParser(tree.text(f)).parse().stmts()) {
                    if (s instanceof MesonParser.ExprStmt(MesonParser.Call c) && c.name().equals("option")
                            && !c.args().isEmpty() && c.args().getFirst() instanceof MesonParser.Str(String name)) {
                        MesonParser.Expr v = c.kwargs().get("value");
                        String type = c.kwargs().get("type") instanceof MesonParser.Str(String t) ? t : "";
                        Object value = switch (v) {
                            case MesonParser.Str(String x) -> x;
                            case MesonParser.Bool(Boolean x) -> x;
                            case MesonParser.Num(Long x) -> x;
                            case null -> switch (type) {
                                case "boolean" -> Boolean.TRUE;
                                case "feature" -> "auto";
                                case "string" -> "";
                                default -> UNKNOWN;
                            };
                            default -> UNKNOWN;
                        };
                        out.put(name, value);
                    }
                }
            } catch (MesonParser.SyntaxError e) {
                LoggerFactory.getLogger(MesonModules.class).debug("{}: {}", f, e.getMessage());
            }
        }
        return out;
    }

    private void runFile(String rel, int depth) {
        if (depth > MAX_DEPTH || !tree.exists(rel)) {
            return;
        }
        String saved = file;
        file = rel;
        try {
            MesonParser.Block block = new MesonParser(tree.text(rel)).parse();
            exec(block, depth);
        } catch (MesonParser.SyntaxError e) {
            // a construct the parser does not know: the modules before it are kept
            LoggerFactory.getLogger(MesonModules.class).debug("meson.build {}: {}", rel, e.getMessage());
        } finally {
            file = saved;
        }
    }

    private void exec(MesonParser.Block block, int depth) {
        for (MesonParser.Stmt s : block.stmts()) {
            try {
                stmt(s, depth);
            } catch (Flow f) {
                throw f;
            } catch (RuntimeException e) {
                // an expression the reading cannot evaluate: the statement is passed over
            }
        }
    }

    /** {@code break} and {@code continue}. */
    private static final class Flow extends RuntimeException {
        final boolean isBreak;

        Flow(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    private void stmt(MesonParser.Stmt s, int depth) {
        switch (s) {
            case MesonParser.Assign a -> {
                Object v = eval(a.value(), depth);
                if (a.add()) {
                    Object cur = vars.getOrDefault(a.name(), UNKNOWN);
                    v = add(cur, v);
                }
                vars.put(a.name(), v);
            }
            case MesonParser.ExprStmt e -> eval(e.expr(), depth);
            case MesonParser.If i -> {
                boolean anyUnknown = false;
                for (int k = 0; k < i.conditions().size(); k++) {
                    Object c = eval(i.conditions().get(k), depth);
                    if (c instanceof Boolean b && !anyUnknown) {
                        if (b) {
                            exec(i.blocks().get(k), depth);
                            skipRest(i, k + 1, i.lines().get(k), depth);
                            return;
                        }
                        skipped(i.blocks().get(k), i.conditionText().get(k), i.lines().get(k), depth);
                    } else {
                        anyUnknown = true;
                        exec(i.blocks().get(k), depth);   // may run: followed
                    }
                }
                if (i.elseBlock() != null) {
                    exec(i.elseBlock(), depth);
                }
            }
            case MesonParser.Foreach f -> {
                Object it = eval(f.iterable(), depth);
                if (it instanceof List<?> list) {
                    for (Object x : list) {
                        vars.put(f.names().getFirst(), x);
                        if (!loopBody(f, depth)) {
                            break;
                        }
                    }
                } else if (it instanceof Map<?, ?> map) {
                    for (var e : map.entrySet()) {
                        vars.put(f.names().getFirst(), e.getKey());
                        if (f.names().size() > 1) {
                            vars.put(f.names().get(1), e.getValue());
                        }
                        if (!loopBody(f, depth)) {
                            break;
                        }
                    }
                }
            }
            case MesonParser.Jump j -> throw new Flow(j.isBreak());
        }
    }

    private boolean loopBody(MesonParser.Foreach f, int depth) {
        try {
            exec(f.body(), depth);
            return true;
        } catch (Flow fl) {
            return !fl.isBreak;
        }
    }

    /** The branches after the taken one: their modules are other-platform or optional. */
    private void skipRest(MesonParser.If i, int from, int line, int depth) {
        for (int k = from; k < i.blocks().size(); k++) {
            skipped(i.blocks().get(k), i.conditionText().get(k), line, depth);
        }
        if (i.elseBlock() != null) {
            skipped(i.elseBlock(), i.conditionText().get(from - 1), line, depth);
        }
    }

    private void skipped(MesonParser.Block b, String condition, int line, int depth) {
        String savedRole = role;
        String savedEvidence = roleEvidence;
        if (role.equals("shipped")) {
            String c = condition.toLowerCase(Locale.ROOT);
            role = c.matches(".*(windows|darwin|win32|cygwin|system\\(\\)|is_mingw|is_msvc|macos|freebsd).*")
                    ? "other-platform" : "optional";
            roleEvidence = file + ":" + line;
        }
        Map<String, Object> savedVars = new HashMap<>(vars);
        try {
            exec(b, depth);
        } finally {
            vars.clear();
            vars.putAll(savedVars);   // a branch not taken sets nothing
            role = savedRole;
            roleEvidence = savedEvidence;
        }
    }

    private Object add(Object a, Object b) {
        if (a instanceof List<?> l) {
            List<Object> r = new ArrayList<>(l);
            if (b instanceof List<?> lb) {
                r.addAll(lb);
            } else {
                r.add(b);
            }
            return r;
        }
        if (a instanceof String s && b instanceof String t) {
            return s + t;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x + y;
        }
        if (a instanceof Map<?, ?> m && b instanceof Map<?, ?> n) {
            Map<Object, Object> r = new LinkedHashMap<>(m);
            r.putAll(n);
            return r;
        }
        return UNKNOWN;
    }

    private Object eval(MesonParser.Expr e, int depth) {
        return switch (e) {
            case MesonParser.Str s -> s.value();
            case MesonParser.Num n -> n.value();
            case MesonParser.Bool b -> b.value();
            case MesonParser.Id id -> vars.getOrDefault(id.name(), UNKNOWN);
            case MesonParser.ListExpr l -> {
                List<Object> r = new ArrayList<>();
                for (MesonParser.Expr x : l.items()) {
                    r.add(eval(x, depth));
                }
                yield r;
            }
            case MesonParser.DictExpr d -> {
                Map<Object, Object> r = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    r.put(eval(d.keys().get(i), depth), eval(d.values().get(i), depth));
                }
                yield r;
            }
            case MesonParser.Unary u -> {
                Object v = eval(u.operand(), depth);
                yield u.op().equals("not") ? v instanceof Boolean b ? !b : UNKNOWN
                        : v instanceof Long l ? -l : UNKNOWN;
            }
            case MesonParser.Binary b -> binary(b, depth);
            case MesonParser.Ternary t -> {
                Object c = eval(t.condition(), depth);
                yield c instanceof Boolean bool ? eval(bool ? t.then() : t.otherwise(), depth) : UNKNOWN;
            }
            case MesonParser.Index ix -> {
                Object v = eval(ix.target(), depth);
                Object k = eval(ix.index(), depth);
                if (v instanceof List<?> l && k instanceof Long i) {
                    int at = (int) (i < 0 ? l.size() + i : i);
                    yield at >= 0 && at < l.size() ? l.get(at) : UNKNOWN;
                }
                if (v instanceof Map<?, ?> m) {
                    yield m.containsKey(k) ? m.get(k) : UNKNOWN;
                }
                if (v instanceof String s && k instanceof Long i && i >= 0 && i < s.length()) {
                    yield String.valueOf(s.charAt(i.intValue()));
                }
                yield UNKNOWN;
            }
            case MesonParser.Call c -> call(c, depth);
        };
    }

    private Object binary(MesonParser.Binary b, int depth) {
        Object l = eval(b.left(), depth);
        if (b.op().equals("and") && Boolean.FALSE.equals(l) || b.op().equals("or") && Boolean.TRUE.equals(l)) {
            return l;
        }
        Object r = eval(b.right(), depth);
        if (l == UNKNOWN || r == UNKNOWN || l instanceof Obj || r instanceof Obj) {
            if (b.op().equals("and") && Boolean.FALSE.equals(r) || b.op().equals("or") && Boolean.TRUE.equals(r)) {
                return r;
            }
            return UNKNOWN;
        }
        return switch (b.op()) {
            case "+" -> add(l, r);
            case "/" -> l instanceof String s && r instanceof String t ? (t.startsWith("/") ? t : s + "/" + t)
                    : l instanceof Long x && r instanceof Long y && y != 0 ? x / y : UNKNOWN;
            case "==" -> l.equals(r);
            case "!=" -> !l.equals(r);
            case "and", "or" -> r;
            case "in" -> r instanceof List<?> list ? list.contains(l) : r instanceof Map<?, ?> m ? m.containsKey(l)
                    : r instanceof String s && l instanceof String t ? s.contains(t) : UNKNOWN;
            case "not in" -> r instanceof List<?> list ? !list.contains(l) : r instanceof Map<?, ?> m
                    ? !m.containsKey(l) : r instanceof String s && l instanceof String t ? !s.contains(t) : UNKNOWN;
            case "<", ">", "<=", ">=" -> l instanceof Long x && r instanceof Long y ? switch (b.op()) {
                case "<" -> x < y;
                case ">" -> x > y;
                case "<=" -> x <= y;
                default -> x >= y;
            } : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    private Object call(MesonParser.Call c, int depth) {
        List<Object> args = new ArrayList<>();
        for (MesonParser.Expr a : c.args()) {
            args.add(eval(a, depth));
        }
        Map<String, Object> kw = new LinkedHashMap<>();
        c.kwargs().forEach((k, v) -> kw.put(k, eval(v, depth)));
        if (c.target() == null) {
            return function(c, args, kw, depth);
        }
        Object self = eval(c.target(), depth);
        return method(c, self, args, kw);
    }

    private Object function(MesonParser.Call c, List<Object> args, Map<String, Object> kw, int depth) {
        String dir = SourceTree.dirOf(file);
        return switch (c.name()) {
            case "import" -> new Obj("module:" + args.getFirst());
            case "subdir" -> {
                if (args.getFirst() instanceof String s) {
                    String sub = BuildDeclarations.join(dir, s);
                    if (!SourceTree.vendored(sub + "/")) {
                        runFile(sub + "/meson.build", depth + 1);
                    }
                }
                yield null;
            }
            case "files" -> args.stream().flatMap(a -> a instanceof List<?> l ? l.stream() : Stream.of(a))
                    .map(a -> a instanceof String s ? BuildDeclarations.join(dir, s) : a).toList();
            case "get_option" -> args.getFirst() instanceof String s ? options.getOrDefault(s, UNKNOWN) : UNKNOWN;
            case "get_variable" -> args.getFirst() instanceof String s ? vars.getOrDefault(s,
                    args.size() > 1 ? args.get(1) : UNKNOWN) : UNKNOWN;
            case "is_variable" -> args.getFirst() instanceof String s ? vars.containsKey(s) : UNKNOWN;
            case "set_variable" -> {
                if (args.getFirst() instanceof String s && args.size() > 1) {
                    vars.put(s, args.get(1));
                }
                yield null;
            }
            case "join_paths" -> args.stream().allMatch(a -> a instanceof String)
                    ? String.join("/", args.stream().map(Object::toString).toList()) : UNKNOWN;
            case "error", "warning", "message", "summary", "assert" -> null;
            default -> UNKNOWN;
        };
    }

    private Object method(MesonParser.Call c, Object self, List<Object> args, Map<String, Object> kw) {
        String m = c.name();
        if (self instanceof Obj o) {
            if (o.kind().equals("machine")) {
                return switch (m) {
                    case "system" -> "linux";
                    case "cpu_family" -> "x86_64";
                    case "cpu" -> "x86_64";
                    case "endian" -> "little";
                    default -> UNKNOWN;
                };
            }
            if (o.kind().equals("module:python") && m.equals("find_installation")) {
                return new Obj("python");
            }
            if (o.kind().equals("python") && m.equals("extension_module")) {
                extensionModule(c, args, kw);
                return UNKNOWN;
            }
            if (o.kind().equals("python") && m.equals("language_version")) {
                return "3.13";
            }
            if (o.kind().equals("meson") && m.equals("get_compiler")) {
                return new Obj("compiler");
            }
            if (o.kind().equals("compiler") && m.equals("get_id")) {
                return "gcc";
            }
            if (o.kind().equals("meson") && (m.equals("current_source_dir") || m.equals("project_source_root"))) {
                return m.equals("current_source_dir") ? SourceTree.dirOf(file) : "";
            }
            return UNKNOWN;
        }
        if (self instanceof String s) {
            return switch (m) {
                case "format" -> {
                    Matcher f = FORMAT.matcher(s);
                    StringBuilder sb = new StringBuilder();
                    while (f.find()) {
                        int i = Integer.parseInt(f.group(1));
                        f.appendReplacement(sb, Matcher.quoteReplacement(i < args.size() ? String.valueOf(args.get(i)) : ""));
                    }
                    f.appendTail(sb);
                    yield sb.toString();
                }
                case "join" -> args.getFirst() instanceof List<?> l ? String.join(s, l.stream().map(String::valueOf).toList())
                        : String.join(s, args.stream().map(String::valueOf).toList());
                case "startswith" -> s.startsWith(String.valueOf(args.getFirst()));
                case "endswith" -> s.endsWith(String.valueOf(args.getFirst()));
                case "contains" -> s.contains(String.valueOf(args.getFirst()));
                case "replace" -> s.replace(String.valueOf(args.get(0)), String.valueOf(args.get(1)));
                case "split" -> List.of((Object[]) (args.isEmpty() ? s.trim().split("\\s+")
                        : s.split(Pattern.quote(String.valueOf(args.getFirst())), -1)));
                case "strip" -> s.strip();
                case "to_lower" -> s.toLowerCase(Locale.ROOT);
                case "to_upper" -> s.toUpperCase(Locale.ROOT);
                case "underscorify" -> s.replaceAll("[^A-Za-z0-9]", "_");
                case "version_compare" -> UNKNOWN;
                default -> UNKNOWN;
            };
        }
        if (self instanceof List<?> l) {
            return switch (m) {
                case "length" -> (long) l.size();
                case "contains" -> l.contains(args.getFirst());
                case "get" -> args.getFirst() instanceof Long i && i < l.size() ? l.get(i.intValue())
                        : args.size() > 1 ? args.get(1) : UNKNOWN;
                default -> UNKNOWN;
            };
        }
        if (self instanceof Map<?, ?> d) {
            return switch (m) {
                case "keys" -> new ArrayList<>(d.keySet());
                case "has_key" -> d.containsKey(args.getFirst());
                case "get" -> d.containsKey(args.getFirst()) ? d.get(args.getFirst()) : args.size() > 1 ? args.get(1) : UNKNOWN;
                default -> UNKNOWN;
            };
        }
        if (self instanceof Boolean b && m.equals("to_string")) {
            return b ? "true" : "false";
        }
        return UNKNOWN;
    }

    private void extensionModule(MesonParser.Call c, List<Object> nested, Map<String, Object> given) {
        Map<String, Object> kw = new LinkedHashMap<>(given);
        if (given.get("kwargs") instanceof Map<?, ?> more) {   // meson's kwargs: a dictionary of keyword arguments
            more.forEach((k, v) -> kw.putIfAbsent(String.valueOf(k), v));
        }
        List<Object> args = new ArrayList<>();
        flatten(nested, args);   // meson flattens positional arguments: extension_module(['_m'], ...) names _m
        if (args.isEmpty() || !(args.getFirst() instanceof String name)) {
            return;
        }
        String sub = kw.get("subdir") instanceof String s ? s.replaceAll("^/+|/+$", "").replace('/', '.') : "";
        String dotted = sub.isEmpty() ? name : sub + "." + name;
        List<String> sources = new ArrayList<>();
        for (Object a : args.subList(1, args.size())) {
            collectSources(a, sources);
        }
        collectSources(kw.get("sources"), sources);
        String r = role;
        String why = roleEvidence;
        if (r.equals("shipped") && Boolean.FALSE.equals(kw.get("install"))) {
            r = "not-built";
            why = file + ":" + c.line();
        }
        List<String> flags = new ArrayList<>();
        for (String k : List.of("cython_args", "c_args", "cpp_args")) {
            Object v = kw.get(k);
            collectStrings(v, flags);
        }
        out.add(new BuildDeclarations.Declared(dotted, sources, file + ":" + c.line(), r, why, flags));
    }

    private static void flatten(Object v, List<Object> out) {
        if (v instanceof List<?> l) {
            l.forEach(x -> flatten(x, out));
        } else {
            out.add(v);
        }
    }

    private void collectSources(Object a, List<String> out) {
        if (a instanceof String s && s.matches(".*\\.(c|cc|cpp|cxx|pyx|c\\.src|pyx\\.in|pyx\\.tp|rs)$")) {
            out.add(s.contains("/") && tree.exists(s) ? s : BuildDeclarations.join(SourceTree.dirOf(file), s));
        } else if (a instanceof List<?> l) {
            l.forEach(x -> collectSources(x, out));
        }
    }

    private static void collectStrings(Object v, List<String> out) {
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof List<?> l) {
            l.forEach(x -> collectStrings(x, out));
        }
    }
}
