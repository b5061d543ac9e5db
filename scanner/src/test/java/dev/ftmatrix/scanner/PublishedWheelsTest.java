package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against PyPI: markupsafe 3.0.0 shipped cp313t wheels, 2.1.5 (before 3.13) none for 3.13 at all. */
class PublishedWheelsTest {
    private static final List<Variant> VARIANTS = List.of(Variant.parse("cp313"), Variant.parse("cp313t"),
            Variant.parse("cp314"), Variant.parse("cp314t"));

    @Test
    void perVariantWheelsOfARealRelease() {
        ProjectScan.Wheels w = new PublishedWheels(SourceFetcher.PYPI).lookup("MarkupSafe", "3.0.0", VARIANTS);
        assertEquals("3.0.0", w.version());
        assertTrue(w.variants().get("cp313").available());
        assertTrue(w.variants().get("cp313t").available());
        assertTrue(w.variants().get("cp313t").files().stream().allMatch(f -> f.contains("-cp313t-")),
                w.variants().get("cp313t").files().toString());
        assertTrue(w.variants().get("cp313t").platforms().contains("manylinux_2_17_x86_64"));
        assertFalse(w.variants().get("cp314").available(), "3.0.0 predates 3.14 and ships no abi3 wheel");
        assertFalse(w.variants().get("cp314t").available());
        assertEquals(List.of("cp313", "cp313t"), w.byVersion().get("3.0.0"));
        assertEquals(List.of(), w.byVersion().get("2.1.5"));
    }
}
