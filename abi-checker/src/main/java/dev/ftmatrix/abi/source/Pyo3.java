package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.GilDeclaration;
import dev.ftmatrix.abi.GilDeclaration.State;
import dev.ftmatrix.core.ModuleInit;
import dev.ftmatrix.support.CargoDependency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyO3 modules ({@code #[pymodule]}) and their {@code gil_used} option, with the default of the PyO3 version the
 * project uses (Cargo.lock, else Cargo.toml): 0.23 to 0.27 assume the GIL is used unless {@code gil_used = false};
 * 0.28 and later assume it is not; before 0.23 there is no free-threaded support.
 */
final class Pyo3 {
    private static final Pattern GIL_USED = Pattern.compile("\\bgil_used\\s*=\\s*(true|false)\\b");
    private static final Pattern GIL_USED_CALL = Pattern.compile("\\.gil_used\\s*\\(\\s*(true|false)\\s*\\)");
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
            for (ModuleInit m : ModuleInit.pyo3(f.code(), f.text())) {
                String args = m.args();
                String name = m.module();
                int line = f.line(m.nameStart());
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

    /** The PyO3 version as the one Cargo reader reads it: Cargo.lock's resolved one, else a Cargo.toml's requirement. */
    static Version version(List<SourceFile> files) {
        Map<String, String> build = new HashMap<>();
        files.stream().filter(f -> f.lang() == Lang.BUILD).forEach(f -> build.put(f.path(), f.text()));
        List<String> manifests = build.keySet().stream()
                .filter(p -> p.equals("Cargo.toml") || p.endsWith("/Cargo.toml")).sorted().toList();
        CargoDependency dep;
        try {
            dep = CargoDependency.find(manifests, build::get, "pyo3", List.of()).orElse(null);
        } catch (CargoDependency.InvalidManifest e) {
            return null;   // cargo cannot read it either: the default is unknown
        }
        String text = dep == null || dep.version() == null ? null : dep.version().replaceAll("^[^0-9]+", "");
        Matcher mm = text == null ? null : MINOR.matcher(text);
        if (mm == null || !mm.find()) {
            return null;
        }
        CargoDependency.Locked lock = dep.locked();
        return new Version(Integer.parseInt(mm.group(1)), Integer.parseInt(mm.group(2)), text,
                lock != null ? lock.file() : dep.manifest(), lock != null ? lock.line() : dep.line());
    }
}
