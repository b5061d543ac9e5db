package dev.ftmatrix.abi.headers;

import dev.ftmatrix.core.HeaderDelta.Definition;
import dev.ftmatrix.core.HeaderDelta.Guard;
import dev.ftmatrix.abi.source.Lang;
import dev.ftmatrix.abi.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the public headers of a CPython include directory twice, with and without {@code Py_GIL_DISABLED}, and lists
 * the definitions that differ and the {@code #error} guards involving it; then compares the two builds' pyconfig.h.
 */
public final class GilDefinitions {
    /** The definitions and guards found. */
    public record Result(List<Definition> definitions, List<Guard> guards) {
    }

    private GilDefinitions() {
    }

    /** {@code includeDir} is one build's directory holding Python.h; the other build's pyconfig.h is compared too. */
    public static Result read(Path ftInclude, Path gilInclude) {
        List<Definition> defs = new ArrayList<>();
        List<Guard> guards = new ArrayList<>();
        for (Path h : headers(ftInclude)) {
            String rel = ftInclude.relativize(h).toString().replace('\\', '/');
            if (rel.equals("pyconfig.h")) {
                continue;
            }
            String raw = read(h);
            String code = new SourceFile(rel, Lang.C, raw).code();
            HeaderVariants v = new HeaderVariants(code, raw);
            v.guards().forEach(g -> guards.add(new Guard(rel, g.line(), g.condition(), g.message())));
            diff(rel, Definitions.of(v.ft()), Definitions.of(v.gil()), defs, null);
        }
        Map<String, Definitions.Def> ftConfig = Definitions.of(new SourceFile("pyconfig.h", Lang.C,
                read(ftInclude.resolve("pyconfig.h"))).code());
        Map<String, Definitions.Def> gilConfig = Definitions.of(new SourceFile("pyconfig.h", Lang.C,
                read(gilInclude.resolve("pyconfig.h"))).code());
        diff("pyconfig.h", ftConfig, gilConfig, defs, "config");
        return new Result(defs, guards);
    }

    private static void diff(String file, Map<String, Definitions.Def> ft, Map<String, Definitions.Def> gil,
                             List<Definition> out, String kind) {
        Set<String> names = new LinkedHashSet<>(gil.keySet());
        names.addAll(ft.keySet());
        for (String key : names) {
            Definitions.Def f = ft.get(key);
            Definitions.Def g = gil.get(key);
            String n = key.substring(key.indexOf(':') + 1);
            if (f != null && g != null && Objects.equals(f.text(), g.text())) {
                continue;
            }
            String k = kind != null ? kind : (f != null ? f : g).kind();
            out.add(new Definition(n, k, file, f == null ? 0 : f.line(), f == null ? "" : f.text(),
                    g == null ? 0 : g.line(), g == null ? "" : g.text()));
        }
    }

    /** Python.h's public headers: the top level and cpython/, not internal/ (only CPython itself includes that). */
    static List<Path> headers(Path include) {
        try (Stream<Path> s = Files.walk(include)) {
            return s.filter(p -> p.toString().endsWith(".h"))
                    .filter(p -> !include.relativize(p).startsWith("internal"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list headers in " + include, e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
