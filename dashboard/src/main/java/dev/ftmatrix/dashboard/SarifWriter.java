package dev.ftmatrix.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ftm check --sarif}: a result's {@code findings} as SARIF 2.1.0, the format GitHub code scanning and other
 * CI tools read. Each distinct rule becomes a {@code reportingDescriptor}; file paths stay relative to the project
 * root ({@code %SRCROOT%}); the fix goes into the message and the rule's help.
 */
public final class SarifWriter {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SarifWriter() {
    }

    public static void write(CheckResult r, String toolVersion, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            JSON.writeValue(file.toFile(), document(r, toolVersion));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write SARIF to " + file, e);
        }
    }

    public static Map<String, Object> document(CheckResult r, String toolVersion) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : r.findings()) {
            Integer index = ruleIndex.get(f.rule());
            if (index == null) {
                index = rules.size();
                ruleIndex.put(f.rule(), index);
                rules.add(Map.of("id", f.rule(),
                        "shortDescription", Map.of("text", f.why().isBlank() ? f.rule() : f.why()),
                        "help", Map.of("text", f.fix().isBlank() ? f.why() : f.fix()),
                        "defaultConfiguration", Map.of("level", level(f.severity()))));
            }
            Map<String, Object> region = new LinkedHashMap<>();
            if (f.line() > 0) {
                region.put("startLine", f.line());
                if (f.column() > 0) {
                    region.put("startColumn", f.column());
                }
            }
            Map<String, Object> physical = new LinkedHashMap<>();
            physical.put("artifactLocation", Map.of("uri", f.file().replace('\\', '/'), "uriBaseId", "%SRCROOT%"));
            if (!region.isEmpty()) {
                physical.put("region", region);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.rule());
            result.put("ruleIndex", index);
            result.put("level", level(f.severity()));
            result.put("message", Map.of("text", message(f)));
            result.put("locations", List.of(Map.of("physicalLocation", physical)));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "ftm");
        driver.put("version", toolVersion);
        driver.put("informationUri", "https://peps.python.org/pep-0703/");
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("automationDetails", Map.of("id", "ftm/" + r.project() + "/"));
        run.put("results", results);
        run.put("properties", Map.of("project", r.project(), "fingerprint", r.fingerprint()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("$schema", SCHEMA);
        doc.put("version", "2.1.0");
        doc.put("runs", List.of(run));
        return doc;
    }

    private static String message(Finding f) {
        StringBuilder m = new StringBuilder(f.text());
        if (!f.why().isBlank()) {
            m.append(m.isEmpty() ? "" : ": ").append(f.why());
        }
        if (!f.fix().isBlank()) {
            m.append(m.isEmpty() ? "" : ". ").append("Fix: ").append(f.fix());
        }
        return m.toString();
    }

    static String level(Finding.Severity s) {
        return s.name().toLowerCase(Locale.ROOT);   // SARIF's levels: error, warning, note
    }
}
