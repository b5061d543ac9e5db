package dev.ftmatrix.abi.headers;

import dev.ftmatrix.core.HeaderDelta.Layout;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures struct layouts of one toolchain by compiling C probes with its own headers and pyconfig.h: first
 * {@code gcc -E} of Python.h to discover the structs and fields ({@link StructParser}), then a program that prints
 * {@code sizeof}, {@code _Alignof} and {@code offsetof} of each. Lines that do not compile (an opaque struct, a field
 * offsetof cannot take) are dropped and the probe rebuilt.
 */
public final class LayoutProbe {
    private static final Pattern ERROR_LINE = Pattern.compile("^probe\\.c:(\\d+):\\d+: error", Pattern.MULTILINE);
    private static final Pattern OUT = Pattern.compile("^([SF])\\t([^\\t]+)\\t([^\\t]*)\\t(\\d+)(?:\\t(\\d+))?$");
    private static final int ATTEMPTS = 6;

    /** The layouts and where each struct is defined. */
    public record Result(Map<String, Layout> layouts, Map<String, StructParser.Struct> structs) {
    }

    private final String cc;
    private final Path work;

    /** @param cc the C compiler ({@code gcc}, or {@code $CC}); @param work a scratch directory for probes */
    public LayoutProbe(String cc, Path work) {
        this.cc = cc;
        this.work = work;
    }

    public Result measure(Toolchain t) {
        try {
            Path dir = Files.createDirectories(work.resolve(t.variant().id()));
            Path include = t.include();
            Path pre = dir.resolve("python.c");
            Files.writeString(pre, "#include <Python.h>\n");
            Processes.Run e = Processes.run(List.of(cc, "-E", "-I" + include, "python.c"), dir, Map.of(),
                    null, l -> { });
            if (!e.ok()) {
                throw new IllegalStateException(cc + " -E failed on Python.h of " + t.label() + ":\n" + e.tail(20));
            }
            List<StructParser.Struct> structs = StructParser.parse(e.output(), include.toAbsolutePath().normalize().toString());
            Map<String, StructParser.Struct> byName = new LinkedHashMap<>();
            structs.forEach(s -> byName.putIfAbsent(s.name(), s));
            return new Result(run(dir, include, byName), byName);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private Map<String, Layout> run(Path dir, Path include, Map<String, StructParser.Struct> structs) throws IOException {
        List<String> lines = new ArrayList<>();
        for (StructParser.Struct s : structs.values()) {
            lines.add(String.format("    printf(\"S\\t%%s\\t\\t%%zu\\t%%zu\\n\", \"%s\", sizeof(%s), (size_t)_Alignof(%s));",
                    s.name(), s.name(), s.name()));
            for (String f : s.fields()) {
                lines.add(String.format("    printf(\"F\\t%%s\\t%%s\\t%%zu\\n\", \"%s\", \"%s\", offsetof(%s, %s));",
                        s.name(), f, s.name(), f));
            }
        }
        String head = "#include <Python.h>\n#include <stddef.h>\n#include <stdio.h>\nint main(void) {\n";
        int headLines = 4;
        Set<Integer> dropped = new HashSet<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            StringBuilder src = new StringBuilder(head);
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!dropped.contains(i)) {
                    src.append(lines.get(i)).append('\n');
                    index.add(i);
                }
            }
            src.append("    return 0;\n}\n");
            Files.writeString(dir.resolve("probe.c"), src);
            Processes.Run c = Processes.run(List.of(cc, "-std=gnu11", "-w", "-I" + include, "probe.c", "-o", "probe"), dir,
                    Map.of(), null, l -> { });
            if (c.ok()) {
                Processes.Run r = Processes.run(List.of(dir.resolve("probe").toString()), dir, Map.of(), null, l -> { });
                if (!r.ok()) {
                    throw new IllegalStateException("the layout probe failed (exit " + r.exitCode() + "):\n" + r.tail(10));
                }
                return parse(r.output());
            }
            Matcher m = ERROR_LINE.matcher(c.output());
            int before = dropped.size();
            while (m.find()) {
                int probeLine = Integer.parseInt(m.group(1));
                int k = probeLine - headLines - 1;
                if (k >= 0 && k < index.size()) {
                    dropped.add(index.get(k));
                }
            }
            if (dropped.size() == before) {
                throw new IllegalStateException("the layout probe does not compile:\n" + c.tail(20));
            }
        }
        throw new IllegalStateException("the layout probe still does not compile after dropping " + dropped.size() + " lines");
    }

    private static Map<String, Layout> parse(String output) {
        Map<String, long[]> sizes = new LinkedHashMap<>();
        Map<String, Map<String, Long>> fields = new LinkedHashMap<>();
        for (String l : output.split("\n")) {
            Matcher m = OUT.matcher(l);
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equals("S")) {
                sizes.put(m.group(2), new long[] {Long.parseLong(m.group(4)), Long.parseLong(m.group(5))});
                fields.putIfAbsent(m.group(2), new LinkedHashMap<>());
            } else {
                fields.computeIfAbsent(m.group(2), k -> new LinkedHashMap<>()).put(m.group(3), Long.parseLong(m.group(4)));
            }
        }
        Map<String, Layout> out = new LinkedHashMap<>();
        sizes.forEach((name, sa) -> out.put(name, new Layout(sa[0], sa[1], fields.getOrDefault(name, Map.of()))));
        return out;
    }
}
