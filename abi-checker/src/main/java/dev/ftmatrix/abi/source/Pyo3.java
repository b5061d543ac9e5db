package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.GilDeclaration;
import dev.ftmatrix.abi.GilDeclaration.State;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyO3 modules ({@code #[pymodule]}) and their {@code gil_used} option, with the default of the PyO3 version the
 * project uses (Cargo.lock, else Cargo.toml): 0.23 to 0.27 assume the GIL is used unless {@code gil_used = false};
 * 0.28 and later assume it is not; before 0.23 there is no free-threaded support.
 */
final class Pyo3 {
    private static final Pattern PYMODULE = Pattern.compile(
            "#\\s*\\[\\s*(?:pyo3\\s*::\\s*)?pymodule\\b\\s*(?:\\(([^\\]]*)\\))?\\s*\\]((?:\\s*#\\s*\\[[^\\]]*\\])*)"
                    + "\\s*(?:pub(?:\\s*\\([^)]*\\))?\\s+)?(?:fn|mod)\\s+(\\w+)");
    private static final Pattern GIL_USED = Pattern.compile("\\bgil_used\\s*=\\s*(true|false)\\b");
    private static final Pattern GIL_USED_CALL = Pattern.compile("\\.gil_used\\s*\\(\\s*(true|false)\\s*\\)");
    private static final Pattern NAME = Pattern.compile("\\bname\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern LOCK = Pattern.compile("name\\s*=\\s*\"pyo3\"\\s*\\n\\s*version\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern TOML = Pattern.compile(
            "(?m)^\\s*pyo3\\s*=\\s*(?:\"([^\"]+)\"|\\{[^}\\n]*?\\bversion\\s*=\\s*\"([^\"]+)\")"
                    + "|\\[(?:workspace\\.)?dependencies\\.pyo3\\][^\\[]*?\\bversion\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MINOR = Pattern.compile("(\\d+)\\.(\\d+)");

    /** The version the project builds with and where it was read. */
    record Version(int major, int minor, String text, String file, int line) {
        boolean atLeast(int mi) {
            return major > 0 || minor >= mi;
        }
    }

    private Pyo3() {
    }

    static void find(List<SourceFile> files, List<GilDeclaration> modules) {
        Version version = null;
        for (SourceFile f : files) {
            if (f.lang() != Lang.RUST || !f.code().contains("pymodule")) {
                continue;
            }
            if (version == null) {
                version = version(files);
            }
            Matcher m = PYMODULE.matcher(f.code());
            while (m.find()) {
                String args = m.group(1) == null ? "" : m.group(1);
                String attrs = f.text().substring(m.start(2), m.end(2));
                Matcher n = NAME.matcher(attrs);
                String name = n.find() ? n.group(1) : m.group(3);
                int line = f.line(m.start(3));
                Matcher g = GIL_USED.matcher(args);
                Matcher call = GIL_USED_CALL.matcher(f.code());
                if (g.find()) {
                    modules.add(new GilDeclaration(name, "pyo3", GilDeclarations.booleanValue(g.group(1), false),
                            "#[pymodule(gil_used = " + g.group(1) + ")]", f.path(), line, f.path(), f.line(m.start())));
                } else if (call.find()) {
                    modules.add(new GilDeclaration(name, "pyo3", GilDeclarations.booleanValue(call.group(1), false),
                            "PyModule::gil_used(" + call.group(1) + ")", f.path(), line, f.path(), f.line(call.start())));
                } else {
                    modules.add(byDefault(name, f, line, version));
                }
            }
        }
    }

    private static GilDeclaration byDefault(String name, SourceFile f, int line, Version v) {
        if (v == null) {
            return new GilDeclaration(name, "pyo3", State.UNKNOWN, "PyO3 default (version not found in Cargo.toml/Cargo.lock)",
                    f.path(), line, "", 0);
        }
        String mech = "PyO3 " + v.text() + " default";
        if (v.atLeast(28)) {
            return new GilDeclaration(name, "pyo3", State.NOT_USED, mech + " (gil_used = false from 0.28)", f.path(), line,
                    v.file(), v.line());
        }
        return new GilDeclaration(name, "pyo3", State.ABSENT, v.atLeast(23) ? mech + " (GIL used unless gil_used = false)"
                : mech + " (no free-threaded support before 0.23)", f.path(), line, "", 0);
    }

    /** The PyO3 version: Cargo.lock's resolved one, else the requirement in a Cargo.toml. */
    static Version version(List<SourceFile> files) {
        for (Pattern p : List.of(LOCK, TOML)) {
            for (SourceFile f : files) {
                String expected = p == LOCK ? "cargo.lock" : "cargo.toml";
                if (f.lang() != Lang.BUILD || !f.name().equalsIgnoreCase(expected)) {
                    continue;
                }
                Matcher m = p.matcher(f.code());
                while (m.find()) {
                    String text = m.group(1) != null ? m.group(1) : p == TOML && m.group(2) != null ? m.group(2)
                            : p == TOML ? m.group(3) : null;
                    Matcher mm = text == null ? null : MINOR.matcher(text);
                    if (mm != null && mm.find()) {
                        return new Version(Integer.parseInt(mm.group(1)), Integer.parseInt(mm.group(2)),
                                text.replaceAll("^[^0-9]+", ""), f.path(), f.line(m.start()));
                    }
                }
            }
        }
        return null;
    }
}
