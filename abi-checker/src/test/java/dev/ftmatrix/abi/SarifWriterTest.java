package dev.ftmatrix.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Finding;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SarifWriterTest {
    @Test
    void everyFindingBecomesAResultPointingAtItsRuleAndLine(@TempDir Path tmp) throws Exception {
        SourceReport r = SourceScan.scan(SourceScanTest.fixture("unsafe"));
        Path out = tmp.resolve("out/ftm.sarif");
        new SarifWriter("0.1.0", "pkg").write(r.findings(), SourceScan.rules(), out);
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertEquals("2.1.0", doc.get("version").asText());
        JsonNode run = doc.get("runs").get(0);
        JsonNode rules = run.at("/tool/driver/rules");
        JsonNode results = run.get("results");
        assertEquals(r.findings().size(), results.size());
        Set<String> ruleIds = new HashSet<>();
        rules.forEach(x -> ruleIds.add(x.get("id").asText()));
        assertEquals(ruleIds.size(), rules.size(), "rule ids are unique");
        for (int i = 0; i < results.size(); i++) {
            JsonNode res = results.get(i);
            Finding f = r.findings().get(i);
            assertEquals(f.rule(), rules.get(res.get("ruleIndex").asInt()).get("id").asText());
            assertEquals(f.severity().name().toLowerCase(), res.get("level").asText());
            JsonNode loc = res.at("/locations/0/physicalLocation");
            assertEquals("pkg/" + f.file(), loc.at("/artifactLocation/uri").asText());
            assertEquals(f.line(), loc.at("/region/startLine").asInt());
            assertEquals(f.column(), loc.at("/region/startColumn").asInt());
            assertTrue(res.at("/message/text").asText().contains(f.fix()));
        }
    }

    @Test
    void aFindingWithoutALineHasNoRegion() {
        Finding f = new Finding("module-suffix", Finding.Severity.ERROR, "demo.whl!/demo.so", 0, 0, "demo.so", "why", "fix");
        JsonNode loc = new SarifWriter("0.1.0", "").document(java.util.List.of(f), java.util.List.of())
                .at("/runs/0/results/0/locations/0/physicalLocation");
        assertEquals("demo.whl!/demo.so", loc.at("/artifactLocation/uri").asText());
        assertTrue(loc.at("/region").isMissingNode());
    }
}
