package dev.ftmatrix.abi;

import dev.ftmatrix.core.HeaderDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.HeaderDelta.StructDelta;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class AbiDeltaTest {
    private static final List<String> ISSUE_STRUCTS = List.of("PyObject", "PyVarObject", "PyTypeObject",
            "PyHeapTypeObject", "PyModuleDef", "PyModuleDef_Base", "PyMethodDef", "PyMemberDef", "PyGetSetDef",
            "Py_buffer", "PyASCIIObject", "PyCompactUnicodeObject", "PyLongObject", "PyListObject", "PyTupleObject",
            "PyDictObject", "PyMutex");

    @TempDir
    Path tmp;

    private static StructDelta struct(String name) {
        return RealToolchains.delta().structs().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no struct " + name));
    }

    @Test
    void pyObjectIs16BytesWithTheGilAnd32FreeThreaded() {
        StructDelta o = struct("PyObject");
        assertEquals(16, o.gil().size());
        assertEquals(32, o.ft().size());
        assertTrue(o.differs());
        assertTrue(o.gil().fields().containsKey("ob_refcnt"));
        assertFalse(o.ft().fields().containsKey("ob_refcnt"), "the refcount-field rule relies on this");
        assertTrue(o.ft().fields().containsKey("ob_ref_shared"));
    }

    @Test
    void everyStructTheIssueNamesIsMeasuredInBothBuilds() {
        for (String n : ISSUE_STRUCTS) {
            StructDelta s = struct(n);
            assertNotNull(s.gil(), n);
            assertNotNull(s.ft(), n);
            assertFalse(s.gil().fields().isEmpty(), n);
            assertTrue(s.gil().size() > 0 && s.gil().align() > 0, n);
        }
    }

    @Test
    void measuredSizesAgreeWithEachInterpretersBasicsize() {
        // tp_basicsize is sizeof(the instance struct) for these types, as the running interpreter reports it
        Map<String, String> typeToStruct = Map.of("object", "PyObject", "type", "PyHeapTypeObject", "list", "PyListObject",
                "dict", "PyDictObject", "float", "PyFloatObject", "bytearray", "PyByteArrayObject",
                "complex", "PyComplexObject");
        String code = "print(' '.join(str(t.__basicsize__) for t in (" + String.join(", ", typeToStruct.keySet()) + ")))";
        for (boolean ft : new boolean[] {false, true}) {
            var t = ft ? RealToolchains.ft() : RealToolchains.gil();
            long[] sizes = Arrays.stream(RealToolchains.python(t, code, tmp).split(" ")).mapToLong(Long::parseLong).toArray();
            int i = 0;
            for (String type : typeToStruct.keySet()) {
                StructDelta s = struct(typeToStruct.get(type));
                assertEquals(sizes[i++], (ft ? s.ft() : s.gil()).size(), type + " on " + t.label());
            }
        }
    }

    @Test
    void gilDependentDefinitionsPointAtTheirLines() throws Exception {
        HeaderDelta d = RealToolchains.delta();
        Set<String> names = d.definitions().stream().map(HeaderDelta.Definition::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("Py_BEGIN_CRITICAL_SECTION", "PyObject_HEAD_INIT", "Py_INCREF",
                "PyUnstable_Module_SetGIL", "Py_GIL_DISABLED")), names.toString());
        for (HeaderDelta.Definition def : d.definitions()) {
            if (def.kind().equals("config")) {
                continue;
            }
            List<String> lines = Files.readAllLines(RealToolchains.ft().include().resolve(def.file()),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            if (def.ftLine() > 0) {
                assertTrue(lines.get(def.ftLine() - 1).contains(def.name()), def + " at ft line " + def.ftLine());
            }
            if (def.gilLine() > 0) {
                assertTrue(lines.get(def.gilLine() - 1).contains(def.name()), def + " at gil line " + def.gilLine());
            }
            assertFalse(def.ft().equals(def.gil()), def.name());
        }
    }

    @Test
    void exportedSymbolsMatchNm() {
        HeaderDelta.Symbols s = RealToolchains.delta().symbols();
        Set<String> gil = nm(RealToolchains.gil().libpython());
        Set<String> ft = nm(RealToolchains.ft().libpython());
        assertEquals(gil.size(), s.gilCount());
        assertEquals(ft.size(), s.ftCount());
        Set<String> onlyFt = new TreeSet<>(ft);
        onlyFt.removeAll(gil);
        assertEquals(List.copyOf(onlyFt), s.onlyFt());
        assertTrue(s.onlyFt().contains("PyUnstable_Module_SetGIL"));
    }

    private Set<String> nm(Path lib) {
        Processes.Run r = Processes.run(List.of("nm", "-D", "--defined-only", lib.toString()), tmp, Map.of(), null, l -> { });
        assertTrue(r.ok(), r.tail(5));
        return r.output().lines().map(l -> l.trim().split("\\s+")).filter(p -> p.length == 3)
                .map(p -> p[2].replaceAll("@.*", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theLimitedApiGuardIsFoundAndReallyRejectsTheFreeThreadedBuild() {
        HeaderDelta.Guard g = RealToolchains.delta().guards().stream()
                .filter(x -> x.condition().contains("Py_LIMITED_API")).findFirst().orElseThrow();
        assertEquals("Python.h", g.file());
        String src = "#define Py_LIMITED_API 0x030d0000\n#include <Python.h>\n";
        Processes.Run ft = RealToolchains.compile(RealToolchains.ft(), src, tmp);
        assertFalse(ft.ok());
        assertTrue(ft.output().contains(g.message().replace("\"", "")), ft.output());
        assertTrue(RealToolchains.compile(RealToolchains.gil(), src, tmp).ok());
    }

    @Test
    void theDeltaIsCachedPerPairAndWrittenAsJson() throws Exception {
        HeaderDelta first = new AbiDelta(RealToolchains.gil(), RealToolchains.ft()).cacheRoot(tmp).call();
        List<Path> cached;
        try (var s = Files.list(tmp.resolve("abi"))) {
            cached = s.toList();
        }
        assertEquals(1, cached.size());
        long mtime = Files.getLastModifiedTime(cached.getFirst()).toMillis();
        HeaderDelta second = new AbiDelta(RealToolchains.gil(), RealToolchains.ft()).cacheRoot(tmp).call();
        assertEquals(first, second);
        assertEquals(mtime, Files.getLastModifiedTime(cached.getFirst()).toMillis());

        Path out = tmp.resolve("delta.json");
        DeltaReports.writeJson(second, out);
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        JsonNode obj = null;
        for (JsonNode s : doc.get("structs")) {
            if (s.get("name").asText().equals("PyObject")) {
                obj = s;
            }
        }
        assertNotNull(obj);
        assertEquals(16, obj.at("/gil/size").asInt());
        assertEquals(32, obj.at("/ft/size").asInt());
        assertEquals(24, obj.at("/ft/fields/ob_type").asInt());
        assertTrue(DeltaReports.text(second).contains("PyObject"));
    }

    @Test
    void aPairOfTheWrongKindIsAUserError() {
        assertThrows(UserInputException.class, () -> new AbiDelta(RealToolchains.ft(), RealToolchains.gil()).call());
    }
}
