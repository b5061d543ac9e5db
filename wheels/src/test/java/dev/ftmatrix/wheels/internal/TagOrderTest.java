package dev.ftmatrix.wheels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagOrderTest {
    /** The head of what pip's sys_tags() gives on this machine for cp313t (glibc 2.36), in its order. */
    private static final TagOrder CP313T = TagOrder.of(List.of("cp313-cp313t-manylinux_2_36_x86_64",
            "cp313-cp313t-manylinux_2_17_x86_64", "cp313-cp313t-manylinux2014_x86_64", "cp313-cp313t-linux_x86_64",
            "cp313-none-manylinux_2_17_x86_64", "py3-none-manylinux_2_17_x86_64", "cp313-none-any", "py3-none-any"));

    private static PypiJson.IndexFile file(String name) {
        return new PypiJson.IndexFile(name, "https://example.invalid/" + name, "", false, "");
    }

    @Test
    void compressedTagSetsAreExpanded() {
        assertEquals(Set.of("cp313-cp313t-manylinux_2_17_x86_64", "cp313-cp313t-manylinux2014_x86_64"),
                TagOrder.tags("pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"));
        assertEquals(Set.of("py2-none-any", "py3-none-any"), TagOrder.tags("pkg-1.0-1-py2.py3-none-any.whl"));
        assertTrue(TagOrder.tags("pkg-1.0.tar.gz").isEmpty());
    }

    @Test
    void theFreeThreadedWheelBeatsAPureOneAndAbi3IsNeverPicked() {
        List<PypiJson.IndexFile> files = List.of(file("pkg-1.0-py3-none-any.whl"),
                file("pkg-1.0-cp39-abi3-manylinux_2_17_x86_64.whl"),
                file("pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.whl"),
                file("pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"),
                file("pkg-1.0-cp313-cp313t-musllinux_1_2_x86_64.whl"));
        assertEquals("pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                CP313T.pick(files).orElseThrow().filename());
        assertEquals("pkg-1.0-py3-none-any.whl", CP313T.pick(files.subList(0, 3)).orElseThrow().filename());
        assertTrue(CP313T.pick(files.subList(1, 3)).isEmpty());
    }

    @Test
    void aYankedWheelIsNotPicked() {
        PypiJson.IndexFile yanked = new PypiJson.IndexFile("pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl", "u", "",
                true, "");
        assertTrue(CP313T.pick(List.of(yanked)).isEmpty());
    }
}
