package dev.ftmatrix.abi.source;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.abi.headers.HeaderVariants;
import dev.ftmatrix.core.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limited API / stable ABI (abi3) switched on for a build that may target a free-threaded interpreter. CPython
 * 3.13 and 3.14 reject {@code Py_LIMITED_API} together with {@code Py_GIL_DISABLED} in their headers, and there is no
 * abi3 wheel tag for free-threaded builds; a define guarded by {@code #ifndef Py_GIL_DISABLED} is fine.
 */
public final class LimitedApiRule implements SourceRule {
    public static final String ID = "limited-api";

    private static final Pattern C_DEFINE = Pattern.compile("^\\s*#\\s*define\\s+(Py_LIMITED_API)\\b", Pattern.MULTILINE);
    /** setup.py/setup.cfg/pyproject: py_limited_api=True, py-limited-api = "cp39", wheel.py-api = "cp38". */
    private static final Pattern PY_LIMITED = Pattern.compile(
            "\\b(py[-_]limited[-_]api|py-api)\\s*[=:]\\s*(True|true|[\"']?cp3\\d*[\"']?)(?=[\\s,)\\]}]|$)", Pattern.MULTILINE);
    /** define_macros=[("Py_LIMITED_API", ...)], -DPy_LIMITED_API=..., c_args: ['-DPy_LIMITED_API...'] */
    private static final Pattern MACRO_IN_CONFIG = Pattern.compile("(?<=-D|[\"'])(Py_LIMITED_API)\\b");
    /** meson: py.extension_module(..., limited_api: '3.9'). */
    private static final Pattern MESON = Pattern.compile("\\b(limited_api)(?=\\s*:\\s*')");
    /** Cargo.toml: pyo3 features = ["abi3-py38"]. */
    private static final Pattern CARGO_ABI3 = Pattern.compile("[\"'](abi3(?:-py3\\d+)?)[\"']");
    /** Text near a build setting that shows it is already switched off for free-threaded builds. */
    private static final Pattern FT_AWARE = Pattern.compile(
            "Py_GIL_DISABLED|free[-_ ]?threaded|freethreading|_is_gil_enabled|abiflags|sysconfig");

    @Override
    public List<RuleInfo> describes() {
        return List.of(new RuleInfo(ID, "limited API / abi3 enabled for a build that can target free-threaded CPython",
                Finding.Severity.ERROR));
    }

    @Override
    public List<Finding> check(SourceFile file) {
        List<Finding> out = new ArrayList<>();
        String code = file.code();
        boolean mentioned = code.contains("LIMITED_API") || code.contains("limited_api") || code.contains("limited-api")
                || code.contains("abi3") || code.contains("py-api");
        if (!mentioned) {
            return out;
        }
        if (file.lang() == Lang.C) {
            // the free-threaded view of the file: lines Py_GIL_DISABLED rules out are blank there
            String[] ftView = new HeaderVariants(code, file.text()).ft().split("\n", -1);
            Matcher m = C_DEFINE.matcher(code);
            while (m.find()) {
                if (!ftView[file.line(m.start(1)) - 1].isBlank()) {
                    out.add(finding(file, m.start(1), "#define Py_LIMITED_API", Finding.Severity.ERROR,
                            "the free-threaded headers stop with #error when Py_LIMITED_API is defined: there is no"
                                    + " stable ABI for free-threaded CPython",
                            "define it only for GIL builds: include pyconfig.h first, then"
                                    + " #ifndef Py_GIL_DISABLED / #define Py_LIMITED_API ... / #endif"));
                }
            }
        } else if (file.lang() == Lang.BUILD) {
            String name = file.name().toLowerCase(Locale.ROOT);
            if (name.equals("cargo.toml")) {
                scan(file, CARGO_ABI3, out, Finding.Severity.WARNING,
                        "PyO3's abi3 feature cannot produce a free-threaded extension: there is no abi3 for free-threaded"
                                + " CPython, so the build falls back to (or fails without) a version-specific module",
                        "keep abi3 for GIL builds only, and build free-threaded wheels (cp313t) version-specific");
            } else if (!name.equals("cargo.lock")) {
                String why = "the limited API is switched on for every interpreter, but free-threaded CPython has no"
                        + " stable ABI: its headers reject Py_LIMITED_API and no abi3 wheel can be made for it";
                String fix = "turn it off for free-threaded builds, e.g. py_limited_api=not"
                        + " sysconfig.get_config_var('Py_GIL_DISABLED'), and the same condition on the Py_LIMITED_API macro";
                scan(file, PY_LIMITED, out, Finding.Severity.ERROR, why, fix);
                scan(file, MACRO_IN_CONFIG, out, Finding.Severity.ERROR, why, fix);
                scan(file, MESON, out, Finding.Severity.ERROR, why,
                        "pass limited_api only when not free-threaded (meson-python skips it for free-threaded"
                                + " interpreters from 0.17; check your version)");
            }
        }
        return out;
    }

    private static void scan(SourceFile file, Pattern p, List<Finding> out, Finding.Severity severity, String why,
                             String fix) {
        Matcher m = p.matcher(file.code());
        while (m.find()) {
            if (!guarded(file, m.start())) {
                out.add(finding(file, m.start(1), m.group().strip(), severity, why, fix));
            }
        }
    }

    /** The setting's statement, or the three lines above it, already test for a free-threaded build. */
    private static boolean guarded(SourceFile file, int offset) {
        int line = file.line(offset);
        int from = file.lineStart(Math.max(1, line - 3));
        int to = line < file.lineCount() ? file.lineStart(line + 1) : file.code().length();
        return FT_AWARE.matcher(file.code().substring(from, to)).find();
    }

    private static Finding finding(SourceFile file, int offset, String text, Finding.Severity severity, String why,
                                   String fix) {
        return SourceRule.at(file, offset, ID, severity, text, why, fix);
    }
}
