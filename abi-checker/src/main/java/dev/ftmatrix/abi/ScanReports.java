package dev.ftmatrix.abi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ftmatrix.abi.source.MutableStaticRule;
import dev.ftmatrix.abi.source.ObjectHeaderRule;
import dev.ftmatrix.core.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@link SourceReport} for people (text grouped by rule) and for programs (JSON schema 1). */
public final class ScanReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern DECLARED_NAME = Pattern.compile("(\\w+)\\s*(?:=[^;]*)?;\\s*$");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][\\w-]*");

    /** One finding as the JSON shows it; {@code symbol} is the API, field, macro, module or variable involved. */
    public record FindingJson(String rule, String severity, String file, int line, int column, String symbol,
                              String text, String message, String fix) {
    }

    /** The JSON document of {@code ftm abi scan --json}. */
    public record ScanJson(int schema, String root, int files, long bytes, long millis, List<FindingJson> findings,
                           List<GilDeclaration> modules) {
    }

    private ScanReports() {
    }

    public static ScanJson json(SourceReport r) {
        List<FindingJson> fs = r.findings().stream().map(f -> new FindingJson(f.rule(),
                f.severity().name().toLowerCase(Locale.ROOT), f.file(), f.line(), f.column(), symbol(f), f.text(), f.why(),
                f.fix())).toList();
        return new ScanJson(1, r.root(), r.files(), r.bytes(), r.millis(), fs, r.modules());
    }

    public static void writeJson(SourceReport r, Path out) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(out.toFile(), json(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** The API, field, macro, module or variable a finding is about. */
    public static String symbol(Finding f) {
        String t = f.text();
        if (f.rule().equals(MutableStaticRule.ID)) {
            Matcher m = DECLARED_NAME.matcher(t);
            return m.find() ? m.group(1) : t;
        }
        if (f.rule().equals(ObjectHeaderRule.REFCNT_ASSIGNMENT)) {
            return "Py_REFCNT";
        }
        Matcher m = IDENT.matcher(t.startsWith("#") ? t.substring(t.indexOf("define") + 6) : t);
        return m.find() ? m.group() : t;
    }

    /** Findings grouped by rule, then the modules and their GIL declarations. */
    public static String text(SourceReport r) {
        StringBuilder b = new StringBuilder();
        Map<String, List<Finding>> byRule = r.findings().stream()
                .collect(Collectors.groupingBy(Finding::rule, LinkedHashMap::new, Collectors.toList()));
        for (var e : byRule.entrySet()) {
            List<Finding> fs = e.getValue();
            String description = SourceScan.rules().stream().filter(x -> x.id().equals(e.getKey()))
                    .map(x -> ": " + x.description()).findFirst().orElse("");
            b.append(e.getKey()).append(" (").append(fs.size()).append(", ")
                    .append(fs.getFirst().severity().name().toLowerCase(Locale.ROOT)).append(")").append(description)
                    .append('\n');
            // show per finding what varies: the fix (one per API), else the reason (offsets per field)
            boolean oneFix = fs.stream().map(Finding::fix).distinct().count() == 1;
            boolean oneWhy = fs.stream().map(Finding::why).distinct().count() == 1;
            for (Finding f : fs) {
                b.append("  ").append(f.file()).append(':').append(f.line()).append(':').append(f.column())
                        .append("  ").append(f.text()).append('\n');
                if (!oneFix) {
                    b.append("      fix: ").append(f.fix()).append('\n');
                } else if (!oneWhy) {
                    b.append("      why: ").append(f.why()).append('\n');
                }
            }
            if (oneWhy) {
                b.append("  why: ").append(fs.getFirst().why()).append('\n');
            }
            if (oneFix) {
                b.append("  fix: ").append(fs.getFirst().fix()).append('\n');
            }
            b.append('\n');
        }
        b.append("modules:\n");
        if (r.modules().isEmpty()) {
            b.append("  (no extension module found)\n");
        }
        for (GilDeclaration d : r.modules()) {
            b.append(String.format(Locale.ROOT, "  %-20s %-9s GIL %-9s %s at %s%n", d.module(), d.binding(),
                    d.state().word(), d.mechanism(), d.evidence()));
        }
        double secs = Math.max(r.millis(), 1) / 1000.0;
        b.append(String.format(Locale.ROOT, "%d findings in %d files (%.1f MB) in %d ms: %.0f files/s, %.1f MB/s%n",
                r.findings().size(), r.files(), r.bytes() / 1e6, r.millis(), r.files() / secs, r.bytes() / 1e6 / secs));
        return b.toString();
    }
}
