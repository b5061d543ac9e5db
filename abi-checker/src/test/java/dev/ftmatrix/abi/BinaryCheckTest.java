package dev.ftmatrix.abi;

import dev.ftmatrix.core.HeaderDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extension modules compiled here against the real cp313 and cp313t headers, checked against each build. */
@Tag("slow")
class BinaryCheckTest {
    private static final String MODULE = """
            #include <Python.h>
            static PyObject *drop(PyObject *self, PyObject *arg) { Py_INCREF(arg); Py_DECREF(arg); Py_RETURN_NONE; }
            static PyMethodDef methods[] = {{"drop", drop, METH_O, NULL}, {NULL, NULL, 0, NULL}};
            static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "demo", NULL, -1, methods};
            PyMODINIT_FUNC PyInit_demo(void) { return PyModule_Create(&def); }
            """;

    @TempDir
    Path tmp;

    private Path build(Toolchain t, String source, String fileName) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("build-" + t.variant()));
        Files.writeString(dir.resolve("demo.c"), source);
        Processes.Run r = Processes.run(List.of("gcc", "-shared", "-fPIC", "-O1", "-I" + t.include(), "demo.c", "-o",
                fileName), dir, Map.of(), null, l -> { });
        assertTrue(r.ok(), r.output());
        return dir.resolve(fileName);
    }

    private static String suffix(Toolchain t) {
        return RealToolchains.python(t, "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))", t.prefix());
    }

    private Set<String> rules(List<Finding> fs) {
        return fs.stream().map(Finding::rule).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aModuleBuiltForItsOwnBuildPassesAndFailsOnTheOther() throws IOException {
        Toolchain ft = RealToolchains.ft();
        Toolchain gil = RealToolchains.gil();
        Path ftModule = build(ft, MODULE, "demo" + suffix(ft));
        Path gilModule = build(gil, MODULE, "demo" + suffix(gil));
        HeaderDelta d = RealToolchains.delta();

        assertEquals(List.of(), new BinaryCheck(ft).delta(d).check(ftModule));
        assertEquals(List.of(), new BinaryCheck(gil).delta(d).check(gilModule));
        assertEquals(Set.of("module-suffix", "built-for-other-build"), rules(new BinaryCheck(gil).delta(d).check(ftModule)));
        assertEquals(Set.of("module-suffix"), rules(new BinaryCheck(ft).delta(d).check(gilModule)));
    }

    @Test
    void aFreeThreadedBuildRenamedForTheGilIsStillCaughtBySymbols() throws IOException {
        Toolchain gil = RealToolchains.gil();
        Path disguised = build(RealToolchains.ft(), MODULE, "demo" + suffix(gil));
        List<Finding> fs = new BinaryCheck(gil).delta(RealToolchains.delta()).check(disguised);
        assertEquals(Set.of("built-for-other-build"), rules(fs));
        assertTrue(fs.getFirst().text().contains("_Py_DecRefShared"), fs.getFirst().text());
    }

    @Test
    void anImportedSymbolLibpythonLacksIsReported() throws IOException {
        Toolchain ft = RealToolchains.ft();
        String source = MODULE.replace("Py_RETURN_NONE;", "PyFoo_NotInAnyPython(); Py_RETURN_NONE;")
                .replace("#include <Python.h>", "#include <Python.h>\nextern void PyFoo_NotInAnyPython(void);");
        List<Finding> fs = new BinaryCheck(ft).check(build(ft, source, "demo" + suffix(ft)));
        assertEquals(Set.of("undefined-symbol"), rules(fs));
        assertEquals("PyFoo_NotInAnyPython", fs.getFirst().text());
    }

    @Test
    void aPathWithNoWheelOrModuleIsAnErrorNotZeroFindings() throws IOException {
        Toolchain ft = RealToolchains.ft();
        Path random = tmp.resolve("random.bin");
        Files.write(random, new java.util.Random(16).ints(5000).mapToObj(Integer::toString)
                .collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8));
        dev.ftmatrix.core.UserInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.ftmatrix.core.UserInputException.class, () -> new BinaryCheck(ft).check(random));
        assertTrue(e.getMessage().contains("random.bin") && e.getMessage().contains("nothing was checked"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(dev.ftmatrix.core.UserInputException.class,
                () -> new BinaryCheck(ft).check(tmp));
    }

    @Test
    void wheelTagsAndMetadataMustAgreeWithTheNameAndTheBuild() throws IOException {
        Toolchain ft = RealToolchains.ft();
        Path module = build(ft, MODULE, "demo" + suffix(ft));
        Path good = wheel("demo-1.0-cp313-cp313t-linux_x86_64.whl", "cp313-cp313t-linux_x86_64", "demo", "1.0", module);
        assertEquals(List.of(), new BinaryCheck(ft).check(good));

        Path bad = wheel("demo-1.0-cp313-abi3-linux_x86_64.whl", "cp313-cp313-linux_x86_64", "Demo", "1.1", module);
        List<Finding> fs = new BinaryCheck(ft).check(bad);
        assertEquals(List.of("wheel-tag abi3", "wheel-metadata cp313-cp313-linux_x86_64", "wheel-metadata 1.1"),
                fs.stream().map(f -> f.rule() + " " + f.text()).toList());
    }

    private Path wheel(String name, String tag, String dist, String version, Path module) throws IOException {
        Path w = tmp.resolve(name);
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(w))) {
            put(zip, "demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: " + tag + "\n");
            put(zip, "demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: " + dist + "\nVersion: " + version
                    + "\n\nLong description: Name: nothing\n");
            zip.putArchiveEntry(new ZipArchiveEntry(module.getFileName().toString()));
            Files.copy(module, (OutputStream) zip);
            zip.closeArchiveEntry();
        }
        return w;
    }

    private static void put(ZipArchiveOutputStream zip, String entry, String text) throws IOException {
        zip.putArchiveEntry(new ZipArchiveEntry(entry));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
    }
}
