package dev.ftmatrix.toolchain.internal;

import dev.ftmatrix.support.Processes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Asks an interpreter what it is and checks that it can serve as a toolchain (shared libpython, headers). */
public final class InterpreterProbe {
    private static final String SCRIPT = """
            import json, sys, sysconfig
            v = sysconfig.get_config_var
            print(json.dumps({
              "version": "%d.%d.%d" % sys.version_info[:3],
              "major": sys.version_info[0], "minor": sys.version_info[1],
              "gilDisabled": bool(v("Py_GIL_DISABLED")),
              "shared": bool(v("Py_ENABLE_SHARED")),
              "libdir": v("LIBDIR") or "", "ldlibrary": v("LDLIBRARY") or "", "instsoname": v("INSTSONAME") or "",
              "include": sysconfig.get_paths()["include"], "prefix": sys.base_prefix,
            }))
            """;

    private InterpreterProbe() {
    }

    /** Probes {@code python}; throws {@link UserInputException} naming it and the fix when it cannot serve. */
    public static Toolchain probe(Path python, String provider, String sourceSha256) {
        if (!Files.isRegularFile(python) || !Files.isExecutable(python)) {
            throw new UserInputException("--python " + python + ": no executable there; give the path of a python3.X or"
                    + " python3.Xt interpreter");
        }
        Processes.Run run;
        try {
            run = Processes.run(List.of(python.toString(), "-I", "-c", SCRIPT), python.toAbsolutePath().getParent(),
                    Map.of(), null, l -> { });
        } catch (UncheckedIOException e) {
            throw new UserInputException("--python " + python + ": cannot run it (" + e.getCause().getMessage()
                    + "); give the path of a python3.X or python3.Xt interpreter");
        }
        if (run.exitCode() != 0) {
            throw new UserInputException("--python " + python + ": it did not run (exit " + run.exitCode() + "): "
                    + lastLine(run.output()) + "; give a working CPython interpreter");
        }
        JsonNode j;
        try {
            String out = run.output().strip();
            j = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
        } catch (IOException | RuntimeException e) {
            throw notCPython(python, run.output());
        }
        // a program that exits 0 without running the script (/bin/true, a shell) prints nothing of it
        for (String field : List.of("version", "major", "minor", "gilDisabled", "shared", "libdir", "ldlibrary",
                "instsoname", "include", "prefix")) {
            if (j == null || !j.isObject() || j.get(field) == null || j.get(field).isNull()) {
                throw notCPython(python, run.output());
            }
        }
        int major = j.get("major").asInt();
        int minor = j.get("minor").asInt();
        boolean ft = j.get("gilDisabled").asBoolean();
        Variant variant;
        try {
            variant = new Variant(major, minor, ft);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--python " + python + ": " + e.getMessage());
        }
        if (!j.get("shared").asBoolean()) {
            throw new UserInputException("--python " + python + " (" + variant + "): built without --enable-shared, so there"
                    + " is no libpython" + variant.version() + (ft ? "t" : "") + ".so for the harness; rebuild it with"
                    + " --enable-shared or let ftm build one: ftm toolchain install " + variant);
        }
        Path libdir = Path.of(j.get("libdir").asText());
        String soname = j.get("instsoname").asText().isEmpty() ? j.get("ldlibrary").asText() : j.get("instsoname").asText();
        Path lib = libdir.resolve(soname);
        if (!Files.exists(lib)) {
            lib = libdir.resolve(j.get("ldlibrary").asText());
        }
        if (!Files.exists(lib)) {
            throw new UserInputException("--python " + python + " (" + variant + "): its shared library " + lib
                    + " is missing; reinstall the interpreter with its lib/ directory");
        }
        Path include = Path.of(j.get("include").asText());
        if (!Files.exists(include.resolve("Python.h"))) {
            throw new UserInputException("--python " + python + " (" + variant + "): no Python.h in " + include
                    + "; install its development headers (e.g. the python3.X-dev package)");
        }
        return new Toolchain(variant, j.get("version").asText(), Path.of(j.get("prefix").asText()), python, lib,
                include, provider, sourceSha256);
    }

    private static UserInputException notCPython(Path python, String output) {
        String said = lastLine(output);
        return new UserInputException("--python " + python + ": not a CPython interpreter (asked for its version and"
                + " build, it " + (said.isEmpty() ? "printed nothing" : "printed '" + said + "'")
                + "); give the path of a python3.X or python3.Xt interpreter");
    }

    private static String lastLine(String s) {
        String t = s.strip();
        int i = t.lastIndexOf('\n');
        return i < 0 ? t : t.substring(i + 1);
    }
}
