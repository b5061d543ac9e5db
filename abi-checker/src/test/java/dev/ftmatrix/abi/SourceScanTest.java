package dev.ftmatrix.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.abi.GilDeclaration.State;
import dev.ftmatrix.core.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceScanTest {
    private static final Pattern EXPECT = Pattern.compile("expect(-next)?: ([a-z-]+)");

    static Path fixture(String name) {
        try {
            return Path.of(SourceScanTest.class.getResource("/scan/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "file:line rule" for every "expect: rule" marker (this line) and "expect-next: rule" (the next). */
    static Set<String> expected(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = EXPECT.matcher(lines.get(i));
                    while (m.find()) {
                        int line = i + 1 + (m.group(1) != null ? 1 : 0);
                        out.add(root.relativize(p).toString().replace('\\', '/') + ":" + line + " " + m.group(2));
                    }
                }
            }
        }
        return out;
    }

    static Set<String> actual(SourceReport r) {
        return r.findings().stream().map(f -> f.file() + ":" + f.line() + " " + f.rule())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unsafe", "clean", "cython", "pyo3", "pybind"})
    void everyMarkedLineIsReportedAndNothingElse(String name) throws IOException {
        Path root = fixture(name);
        SourceReport r = SourceScan.scan(root);
        assertEquals(expected(root), actual(r), ScanReports.text(r));
    }

    @Test
    void theUnsafeFixtureCoversEveryCodeRule() throws IOException {
        Set<String> rules = SourceScan.scan(fixture("unsafe")).findings().stream().map(Finding::rule)
                .collect(Collectors.toSet());
        assertEquals(Set.of("borrowed-reference", "unlocked-iteration", "refcount-field", "type-field",
                "refcount-assignment", "limited-api", "mutable-static", "gil-declaration-missing"), rules);
    }

    @Test
    void findingsCarryTheReplacementApiAndExactColumn() {
        SourceReport r = SourceScan.scan(fixture("unsafe"));
        Finding f = r.findings("borrowed-reference").stream().filter(x -> x.text().equals("PyDict_GetItemString"))
                .findFirst().orElseThrow();
        assertEquals("src/unsafe.c", f.file());
        assertEquals(19, f.column(), "column of PyDict_GetItemString in '    PyObject *b = PyDict_GetItemString'");
        assertTrue(f.fix().contains("PyDict_GetItemStringRef"), f.fix());
        Finding w = r.findings("borrowed-reference").stream().filter(x -> x.text().equals("PyWeakref_GET_OBJECT"))
                .findFirst().orElseThrow();
        assertTrue(w.fix().contains("PyWeakref_GetRef"), w.fix());
    }

    @Test
    void gilDeclarationsAreReadByValuePerBindingLayer() {
        assertModules("unsafe", Map.of("unsafe", State.ABSENT));
        assertModules("clean", Map.of("clean", State.NOT_USED));
        assertModules("cython", Map.of("ready", State.NOT_USED, "legacy", State.USED));
        assertModules("pyo3", Map.of("ready", State.NOT_USED, "legacy_mod", State.ABSENT));
        assertModules("pybind", Map.of("fast", State.NOT_USED, "slow", State.ABSENT, "locked", State.USED));
        GilDeclaration ready = module(SourceScan.scan(fixture("cython")), "ready");
        assertEquals("# cython: freethreading_compatible", ready.mechanism());
        assertEquals("pkg/ready.pyx:1", ready.evidence());
        GilDeclaration legacy = module(SourceScan.scan(fixture("pyo3")), "legacy_mod");
        assertTrue(legacy.mechanism().contains("PyO3 0.23.3 default"), legacy.mechanism());
    }

    @Test
    void theRepositoryFixturesGetTheirDeclarations() {
        Path fixtures = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures");
        SourceReport ready = SourceScan.scan(fixtures.resolve("ft-ready"));
        assertEquals(List.of(), ready.findings(), ScanReports.text(ready));
        assertEquals(State.NOT_USED, module(ready, "ftready").state());
        assertEquals("src/ftready.c:36", module(ready, "ftready").evidence());

        SourceReport undeclared = SourceScan.scan(fixtures.resolve("ft-undeclared"));
        assertEquals(State.ABSENT, module(undeclared, "ftundeclared").state());
        assertEquals(Set.of("gil-declaration-missing"), undeclared.findings().stream().map(Finding::rule)
                .collect(Collectors.toSet()));

        SourceReport racy = SourceScan.scan(fixtures.resolve("ft-racy"));
        assertEquals(State.NOT_USED, module(racy, "ftracy").state());
        assertEquals(List.of("counter"), racy.findings("mutable-static").stream().map(ScanReports::symbol).toList());
    }

    private static void assertModules(String fixture, Map<String, State> expected) {
        SourceReport r = SourceScan.scan(fixture(fixture));
        assertEquals(expected, r.modules().stream().collect(Collectors.toMap(GilDeclaration::module,
                GilDeclaration::state)), fixture);
    }

    static GilDeclaration module(SourceReport r, String name) {
        return r.modules().stream().filter(m -> m.module().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no module " + name + " in " + r.modules()));
    }

    static void write(Path root, String rel, String text) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
