package dev.ftmatrix.abi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@link HeaderDelta} as text for people, JSON (schema 1) for programs, and an HTML section for the dashboard. */
public final class DeltaReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int SHOWN = 160;

    private DeltaReports() {
    }

    public static void writeJson(HeaderDelta d, Path out) {
        write(out, () -> JSON.writeValueAsString(d));
    }

    public static void writeHtml(HeaderDelta d, Path out) {
        write(out, () -> html(d));
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

    /** A self-contained {@code <section>} for the dashboard's page of a CPython version. */
    public static String html(HeaderDelta d) {
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"abi-delta\">\n<h2>GIL vs free-threaded ABI: CPython ").append(esc(d.version()))
                .append("</h2>\n<p>").append(esc(d.gil())).append(" vs ").append(esc(d.ft())).append("</p>\n");
        b.append("<table>\n<thead><tr><th>struct</th><th>declared in</th><th>size (GIL)</th><th>size (free-threaded)</th>"
                + "<th>fields that move</th></tr></thead>\n<tbody>\n");
        for (HeaderDelta.StructDelta s : d.differing()) {
            b.append("<tr><td><code>").append(esc(s.name())).append("</code></td><td>").append(esc(s.file())).append(':')
                    .append(s.line()).append("</td><td>").append(s.gil() == null ? "-" : s.gil().size()).append("</td><td>")
                    .append(s.ft() == null ? "-" : s.ft().size()).append("</td><td>")
                    .append(esc(String.join(", ", s.movedFields()))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n<h3>Definitions that depend on Py_GIL_DISABLED</h3>\n<ul>\n");
        for (HeaderDelta.Definition def : d.definitions()) {
            b.append("<li><code>").append(esc(def.name())).append("</code> (").append(esc(def.kind())).append(", ")
                    .append(esc(def.file())).append(")</li>\n");
        }
        b.append("</ul>\n<h3>Exported symbols only in one build</h3>\n<p>").append(esc(d.symbols().ftLibrary()))
                .append(": <code>").append(esc(String.join(" ", d.symbols().onlyFt()))).append("</code></p>\n<p>")
                .append(esc(d.symbols().gilLibrary())).append(": <code>")
                .append(esc(String.join(" ", d.symbols().onlyGil()))).append("</code></p>\n");
        b.append("<h3>Guards</h3>\n<ul>\n");
        for (HeaderDelta.Guard g : d.guards()) {
            b.append("<li>").append(esc(g.file())).append(':').append(g.line()).append(" <code>#if ")
                    .append(esc(g.condition())).append("</code>: ").append(esc(g.message())).append("</li>\n");
        }
        return b.append("</ul>\n</section>\n").toString();
    }

    private static String offset(Long o) {
        return o == null ? "-" : o.toString();
    }

    private static String cut(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + " ...";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
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
