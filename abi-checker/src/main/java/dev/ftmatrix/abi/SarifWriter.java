package dev.ftmatrix.abi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Writes findings as SARIF 2.1.0, the format GitHub code scanning shows inline on pull requests. File paths stay
 * relative to {@code %SRCROOT%}; give {@code uriPrefix} when the scanned directory is a subdirectory of the repository.
 */
public final class SarifWriter {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String toolVersion;
    private final String uriPrefix;

    /**
     * @param toolVersion ftm's version, shown by code scanning
     * @param uriPrefix prepended to every finding's file ("" or {@code "sub/dir/"})
     */
    public SarifWriter(String toolVersion, String uriPrefix) {
        this.toolVersion = toolVersion;
        this.uriPrefix = uriPrefix.isEmpty() || uriPrefix.endsWith("/") ? uriPrefix : uriPrefix + "/";
    }

    /** The SARIF document for {@code findings}; rules not in {@code rules} get an entry named after their id. */
    public ObjectNode document(List<Finding> findings, List<RuleInfo> rules) {
        Map<String, RuleInfo> byId = new LinkedHashMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        for (Finding f : findings) {
            byId.putIfAbsent(f.rule(), new RuleInfo(f.rule(), f.rule(), f.severity()));
        }
        List<String> ids = new ArrayList<>(byId.keySet());

        ObjectNode doc = JSON.createObjectNode();
        doc.put("$schema", SCHEMA);
        doc.put("version", "2.1.0");
        ObjectNode run = doc.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "ftm");
        driver.put("version", toolVersion);
        driver.put("informationUri", "https://docs.python.org/3/howto/free-threading-extensions.html");
        ArrayNode ruleArray = driver.putArray("rules");
        for (RuleInfo r : byId.values()) {
            ObjectNode rule = ruleArray.addObject();
            rule.put("id", r.id());
            rule.put("name", camel(r.id()));
            rule.putObject("shortDescription").put("text", r.description());
            rule.putObject("defaultConfiguration").put("level", level(r.severity()));
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            ObjectNode res = results.addObject();
            res.put("ruleId", f.rule());
            res.put("ruleIndex", ids.indexOf(f.rule()));
            res.put("level", level(f.severity()));
            res.putObject("message").put("text", f.why() + ". Fix: " + f.fix());
            ObjectNode loc = res.putArray("locations").addObject().putObject("physicalLocation");
            ObjectNode artifact = loc.putObject("artifactLocation");
            artifact.put("uri", uriPrefix + f.file());
            artifact.put("uriBaseId", "%SRCROOT%");
            if (f.line() > 0) { // binary findings (a module in a wheel) have no line: no region
                ObjectNode region = loc.putObject("region");
                region.put("startLine", f.line());
                region.put("startColumn", Math.max(1, f.column()));
                region.putObject("snippet").put("text", f.text());
            }
            // stable across unrelated edits, so code scanning tracks one alert instead of opening a new one
            res.putObject("partialFingerprints").put("ftmFinding/v1", f.rule() + ":" + f.file() + ":" + f.text());
        }
        return doc;
    }

    /** Writes the document to {@code out}, creating its directory. */
    public void write(List<Finding> findings, List<RuleInfo> rules, Path out) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(out.toFile(), document(findings, rules));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write SARIF to " + out, e);
        }
    }

    private static String level(Finding.Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String camel(String id) {
        StringBuilder b = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}
