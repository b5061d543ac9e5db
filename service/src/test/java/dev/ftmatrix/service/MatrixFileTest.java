package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixFileTest {
    @TempDir
    Path tmp;

    @Test
    void projectKeysReachTheSpecAndOptionalOnesDefault() throws Exception {
        Path m = tmp.resolve("m.yaml");
        Files.writeString(m, """
                schema: 1
                name: sample
                variants: [cp313t, cp313]
                projects:
                  - name: a
                    source: pypi:markupsafe==3.0.0
                    env: {CFLAGS: -O0}
                    tests: [tests/test_a.py]
                    threadUnsafe: ["tests/test_a.py::test_global_state"]
                  - name: b
                    source: git+file:///srv/b.git
                    ref: v1.0
                    subdirectory: python
                    variants: [cp314t]
                """);
        MatrixFile f = MatrixFile.load(m);
        assertEquals("sample", f.name());
        ProjectSpec a = f.projects().get(0);
        assertEquals(List.of(Variant.parse("cp313"), Variant.parse("cp313t")), a.variants(), "sorted, GIL build first");
        assertEquals(Map.of("CFLAGS", "-O0"), a.env());
        assertEquals(List.of("tests/test_a.py"), a.testCommand());
        assertEquals(List.of("tests/test_a.py::test_global_state"), a.threadUnsafe());
        assertEquals("", a.ref());
        ProjectSpec b = f.projects().get(1);
        assertEquals("v1.0", b.ref());
        assertEquals("python", b.subdirectory());
        assertEquals(List.of(Variant.parse("cp314t")), b.variants());
        assertEquals(List.of(), b.threadUnsafe());
    }

    @Test
    void shippedMatricesAreValid() {
        Path root = CheckCommandTest.ROOT;
        assertEquals(6, MatrixFile.load(root.resolve("matrices/demo.yaml")).projects().size());
        assertEquals(20, MatrixFile.load(root.resolve("matrices/pypi-sample.yaml")).projects().size());
    }
}
