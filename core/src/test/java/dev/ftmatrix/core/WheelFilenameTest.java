package dev.ftmatrix.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Variant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WheelFilenameTest {
    private static final List<Variant> ALL = List.of(Variant.parse("cp312"), Variant.parse("cp313"),
            Variant.parse("cp313t"), Variant.parse("cp314"), Variant.parse("cp314t"));

    private static WheelFilename parse(String name) {
        return WheelFilename.parse(name).orElseThrow(() -> new AssertionError("did not parse " + name));
    }

    /** The variants of {@link #ALL} that install the wheel, as a space-separated list. */
    private static String variants(String name) {
        WheelFilename w = parse(name);
        return String.join(" ", ALL.stream().filter(w::installsOn).map(Variant::id).toList());
    }

    @Test
    void expandsCompressedTagSets() {
        WheelFilename w = parse("MarkupSafe-3.0.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        assertEquals("MarkupSafe", w.distribution());
        assertEquals("3.0.0", w.version());
        assertNull(w.build());
        assertEquals(Set.of(new WheelFilename.Tag("cp313", "cp313", "manylinux_2_17_x86_64"),
                new WheelFilename.Tag("cp313", "cp313", "manylinux2014_x86_64")), w.tags());

        WheelFilename many = parse("pkg-1.0-cp312.cp313-abi3.abi3t-macosx_11_0_arm64.win_amd64.whl");
        assertEquals(8, many.tags().size(), "2 interpreters x 2 ABIs x 2 platforms");
    }

    @Test
    void readsTheOptionalBuildTag() {
        WheelFilename w = parse("numpy-2.1.0-1-cp313-cp313t-musllinux_1_2_x86_64.whl");
        assertEquals("1", w.build());
        assertEquals("2.1.0", w.version());
        assertEquals(Set.of(new WheelFilename.Tag("cp313", "cp313t", "musllinux_1_2_x86_64")), w.tags());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkg-1.0.tar.gz", "pkg-1.0-cp313-cp313.whl", "pkg-1.0-x-y-cp313-cp313-any.whl",
            "pkg-1.0-build-cp313-cp313-any.whl", "pkg--cp313-cp313-any.whl", "pkg-1.0-cp313..cp314-cp313-any.whl"})
    void refusesMalformedNames(String name) {
        assertTrue(WheelFilename.parse(name).isEmpty(), name);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // an ABI-specific wheel serves exactly its own interpreter
            "m-1-cp313-cp313-manylinux_2_17_x86_64.whl | cp313",
            "m-1-cp313-cp313t-manylinux_2_17_x86_64.whl | cp313t",
            "m-1-cp314-cp314t-win_amd64.whl | cp314t",
            // a compressed python tag with one ABI: cp314's interpreter does not take the cp313 ABI
            "m-1-cp313.cp314-cp313-any.whl | cp313",
            // abi3 covers later GIL builds, never a free-threaded one
            "m-1-cp39-abi3-manylinux_2_17_x86_64.whl | cp312 cp313 cp314",
            "m-1-cp313-abi3-macosx_11_0_arm64.whl | cp313 cp314",
            // abi3t (free-threaded stable ABI) covers later free-threaded builds only
            "m-1-cp313-abi3.abi3t-any.whl | cp313 cp313t cp314 cp314t",
            "m-1-cp315-abi3.abi3t-any.whl | ''",
            // no ABI: pure or interpreter-specific without the C ABI
            "m-1-py3-none-any.whl | cp312 cp313 cp313t cp314 cp314t",
            "m-1-py2.py3-none-any.whl | cp312 cp313 cp313t cp314 cp314t",
            "m-1-py313-none-any.whl | cp313 cp313t cp314 cp314t",
            "m-1-cp313-none-linux_x86_64.whl | cp313 cp313t",
            // other interpreters
            "m-1-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl | ''",
            "m-1-py2-none-any.whl | ''",
            // the 'endswith t' trap: a GIL wheel whose platform ends in t
            "m-1-cp313-cp313-win_arm64.whl | cp313"})
    void saysWhichVariantsInstallAWheel(String name, String expected) {
        assertEquals(expected, variants(name));
    }

    @Test
    void listsThePlatformsAVariantCanUse() {
        WheelFilename w = parse("m-1-cp313-cp313.cp313t-manylinux_2_17_x86_64.win_amd64.whl");
        Variant ft = Variant.parse("cp313t");
        assertTrue(w.installsOn(ft));
        assertEquals(List.of("manylinux_2_17_x86_64", "win_amd64"), w.platformsFor(ft));
        assertFalse(w.installsOn(Variant.parse("cp314t")));
    }
}
