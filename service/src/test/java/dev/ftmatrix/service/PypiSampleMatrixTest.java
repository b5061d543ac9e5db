package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.scanner.FetchedSource;
import dev.ftmatrix.scanner.ProjectScan;
import dev.ftmatrix.scanner.ProjectScanner;
import dev.ftmatrix.scanner.SourceFetcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** matrices/pypi-sample.yaml: valid, every source on the index, and every project scans as the layer it is listed as. */
class PypiSampleMatrixTest {
    private static final Path MATRIX = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("matrices/pypi-sample.yaml");
    /** The binding layer of each project's extension modules, as its own sources say. */
    private static final Map<String, String> LAYER = Map.ofEntries(
            Map.entry("markupsafe", "c-api"), Map.entry("simplejson", "c-api"), Map.entry("ujson", "c-api"),
            Map.entry("bitarray", "c-api"), Map.entry("mmh3", "c-api"), Map.entry("wrapt", "c-api"),
            Map.entry("multidict", "c-api"), Map.entry("regex", "c-api"), Map.entry("setproctitle", "c-api"),
            Map.entry("msgpack", "cython"), Map.entry("frozenlist", "cython"), Map.entry("propcache", "cython"),
            Map.entry("cytoolz", "cython"), Map.entry("pyclipper", "cython"), Map.entry("contourpy", "pybind11"),
            Map.entry("boost-histogram", "pybind11"), Map.entry("mapbox-earcut", "pybind11"),
            Map.entry("rpds-py", "pyo3"), Map.entry("nh3", "pyo3"), Map.entry("jiter", "pyo3"));

    @TempDir
    Path tmp;

    @Test
    void isAValidMatrixOfAboutTwentyPinnedIndexSources() {
        MatrixFile m = MatrixFile.load(MATRIX);
        assertEquals(LAYER.keySet(), m.projects().stream().map(ProjectSpec::name).collect(java.util.stream.Collectors.toSet()));
        for (ProjectSpec p : m.projects()) {
            assertTrue(p.source().matches("pypi:[A-Za-z0-9._-]+==[0-9][^=]*"), p.source());
        }
    }

    @Test
    void everySourceResolvesOnTheIndex() {
        SourceFetcher f = new SourceFetcher(tmp.resolve("cache"), l -> { });
        for (ProjectSpec p : MatrixFile.load(MATRIX).projects()) {
            assertTrue(f.pin(p.source(), "", "").orElseThrow().fingerprint().matches("sha256:[0-9a-f]{64}"), p.name());
        }
    }

    @Test
    @Tag("slow")
    void everyProjectScansAsItsBindingLayer() {
        SourceFetcher f = new SourceFetcher(tmp.resolve("cache"), l -> { });
        List<String> wrong = new ArrayList<>();
        for (ProjectSpec p : MatrixFile.load(MATRIX).projects()) {
            FetchedSource src = f.fetch(p.source(), "", "", tmp.resolve("work").resolve(p.name()));
            ProjectScan s = new ProjectScanner(dev.ftmatrix.abi.SourceScan.scan(src.dir()).declaredModules()).scan(src);
            assertNotNull(s.buildBackend(), p.name());
            if (s.modules().isEmpty() || !s.modules().stream().allMatch(mod -> mod.bindingLayer().equals(LAYER.get(p.name())))
                    || s.declaresFreeThreading() == null) {
                wrong.add(p.name() + ": " + s.modules());
            }
        }
        assertEquals(List.of(), wrong);
    }
}
