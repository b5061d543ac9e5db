package dev.ftmatrix.abi;

import dev.ftmatrix.core.HeaderDelta;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@link HeaderDelta} as text for people and JSON (schema 1) for programs; the dashboard renders it for the site. */
public final class DeltaReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int SHOWN = 160;

    private DeltaReports() {
    }

    public static void writeJson(HeaderDelta d, Path out) {
        write(out, () -> JSON.writeValueAsString(d));
    }

    public static String text(HeaderDelta d) {
        StringBuilder b = new StringBuilder();
        b.append("CPython ").append(d.version()).append(": ").append(d.gil()).append("  vs  ").append(d.ft()).append("\n\n");
        List<HeaderDelta.StructDelta> diff = d.differing();
        b.append("structs whose layout differs (").append(diff.size()).append(" of ").append(d.structs().size())
                .append(" measured; size/align gil -> ft, field offsets gil -> ft)\n");
        for (HeaderDelta.StructDelta s : diff) {
            b.append("  ").append(s.name()).append("  ").append(s.file()).append(':').append(s.line()).append("  ");
            if (s.gil() == null || s.ft() == null) {
                b.append(s.gil() == null ? "only in the free-threaded build" : "only in the GIL build").append('\n');
                continue;
            }
            b.append(s.gil().size()).append(" -> ").append(s.ft().size()).append(" bytes");
            if (s.gil().align() != s.ft().align()) {
                b.append(", align ").append(s.gil().align()).append(" -> ").append(s.ft().align());
            }
            b.append('\n');
            List<String> moved = s.movedFields();
            if (!moved.isEmpty()) {
                b.append("      ");
                for (String f : moved) {
                    b.append(f).append(' ').append(offset(s.gil().fields().get(f))).append("->")
                            .append(offset(s.ft().fields().get(f))).append("  ");
                }
                b.append('\n');
            }
        }
        b.append("\ndefinitions that depend on Py_GIL_DISABLED (").append(d.definitions().size()).append(")\n");
        for (HeaderDelta.Definition def : d.definitions()) {
            b.append("  ").append(def.name()).append(" (").append(def.kind()).append(")  ").append(def.file()).append('\n');
            b.append("      ft  :").append(def.ftLine()).append("  ").append(def.ft().isEmpty() ? "(not defined)" : cut(def.ft())).append('\n');
            b.append("      gil :").append(def.gilLine()).append("  ").append(def.gil().isEmpty() ? "(not defined)" : cut(def.gil())).append('\n');
        }
        HeaderDelta.Symbols sy = d.symbols();
        b.append(String.format(Locale.ROOT, "%nexported symbols: %s %d, %s %d%n", sy.gilLibrary(), sy.gilCount(),
                sy.ftLibrary(), sy.ftCount()));
        b.append("  only in ").append(sy.ftLibrary()).append(" (").append(sy.onlyFt().size()).append("): ")
                .append(String.join(" ", sy.onlyFt())).append('\n');
        b.append("  only in ").append(sy.gilLibrary()).append(" (").append(sy.onlyGil().size()).append("): ")
                .append(String.join(" ", sy.onlyGil())).append('\n');
        b.append("\nguards that reject a configuration (").append(d.guards().size()).append(")\n");
        for (HeaderDelta.Guard g : d.guards()) {
            b.append("  ").append(g.file()).append(':').append(g.line()).append("  #if ").append(g.condition())
                    .append("  ->  #error ").append(g.message()).append('\n');
        }
        return b.toString();
    }

    private static String offset(Long o) {
        return o == null ? "-" : o.toString();
    }

    private static String cut(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + " ...";
    }

    private interface Text {
        String get() throws IOException;
    }

    private static void write(Path out, Text text) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, text.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }
}
