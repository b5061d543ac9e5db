package dev.ftmatrix.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VariantTest {
    @Test
    void parsesCibuildwheelIdentifiers() {
        Variant v = Variant.parse("cp314t");
        assertEquals(3, v.major());
        assertEquals(14, v.minor());
        assertTrue(v.freeThreaded());
        assertEquals("cp314t", v.id());
        assertEquals("python3.14t", v.executableName());
        assertEquals(Variant.parse("cp314"), v.withGil());
        assertFalse(Variant.parse("cp313").freeThreaded());
    }

    @Test
    void rejectsUnknownIdsNamingThemAndTheFormat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("py313t"));
        assertTrue(e.getMessage().contains("py313t") && e.getMessage().contains("cp313t"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("cp312t"));
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("cp313T"));
    }

    @Test
    void sortsGilBuildBeforeItsFreeThreadedBuild() {
        List<String> sorted = Stream.of("cp314t", "cp313t", "cp314", "cp313").map(Variant::parse).sorted()
                .map(Variant::id).toList();
        assertEquals(List.of("cp313", "cp313t", "cp314", "cp314t"), sorted);
    }

    @Test
    void verdictWordsRoundTrip() {
        for (Verdict v : Verdict.values()) {
            assertEquals(v, Verdict.of(v.word()));
        }
        assertEquals("works-undeclared", Verdict.WORKS_UNDECLARED.word());
        assertThrows(IllegalArgumentException.class, () -> Verdict.of("fine"));
    }
}
