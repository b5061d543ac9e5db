package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.GilDeclaration;
import dev.ftmatrix.abi.GilDeclaration.State;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * cffi modules: each {@code ffibuilder.set_source("name", ...)} in a build script generates one C extension. cffi
 * 2.0 generates modules that declare free-threading support; older ones declare nothing. The project's cffi
 * requirement (build-system requires, setup_requires, install_requires) decides which.
 */
public final class Cffi {
    private static final Pattern SET_SOURCE = Pattern.compile("\\.set_source\\s*\\(\\s*[rb]?[\"']([\\w.]+)[\"']");
    private static final Pattern REQUIREMENT = Pattern.compile(
            "[\"']?\\bcffi\\s*(>=|==|~=|>|<=|<|!=)?\\s*(\\d+)(?:\\.(\\d+))?");

    private Cffi() {
    }

    /** Adds the cffi modules built by {@code python} (path to text) to {@code modules}. */
    public static void find(List<SourceFile> files, Map<String, String> python, List<GilDeclaration> modules) {
        Map<String, String> scripts = new TreeMap<>(python);
        files.stream().filter(f -> f.lang() == Lang.BUILD && f.path().endsWith(".py"))
                .forEach(f -> scripts.put(f.path(), f.text()));
        for (var e : scripts.entrySet()) {
            Matcher m = SET_SOURCE.matcher(e.getValue());
            while (m.find()) {
                SourceFile f = new SourceFile(e.getKey(), Lang.BUILD, e.getValue());
                String name = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
                int line = f.line(m.start());
                modules.add(declaration(name, f.path(), line, files));
            }
        }
    }

    private static GilDeclaration declaration(String module, String file, int line, List<SourceFile> files) {
        for (SourceFile f : files) {
            if (f.lang() != Lang.BUILD || !f.code().contains("cffi")) {
                continue;
            }
            Matcher r = REQUIREMENT.matcher(f.code());
            while (r.find()) {
                if (r.group(1) == null || r.group(1).startsWith("<") || r.group(1).equals("!=")) {
                    continue; // no lower bound: the version depends on the day the build runs
                }
                int major = Integer.parseInt(r.group(2));
                String req = "cffi" + r.group(1) + r.group(2) + (r.group(3) == null ? "" : "." + r.group(3));
                State s = major >= 2 ? State.NOT_USED : State.ABSENT;
                return new GilDeclaration(module, "cffi", s, req + (major >= 2 ? ": cffi 2.0 modules declare"
                        + " free-threading support" : ": cffi before 2.0 declares nothing"), file, line, f.path(),
                        f.line(r.start()));
            }
        }
        return new GilDeclaration(module, "cffi", State.UNKNOWN, "cffi version not pinned (cffi >= 2.0 declares"
                + " free-threading support)", file, line, "", 0);
    }
}
