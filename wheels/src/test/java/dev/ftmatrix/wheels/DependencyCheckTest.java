package dev.ftmatrix.wheels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.toolchain.Toolchains;
import dev.ftmatrix.core.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real requirements file resolved by pip on cp313 and each dependency's cp313t wheel checked. */
@Tag("slow")
class DependencyCheckTest {
    @Test
    @Timeout(180)
    void aPinnedReleaseThatTurnsTheGilOnIsNamedWithTheFirstReleaseThatDoesNot(@TempDir Path tmp) throws Exception {
        Path reqs = Files.writeString(tmp.resolve("requirements.txt"), "blake3==1.0.1\nmarkupsafe==3.0.0\n");
        Path cache = Toolchains.defaultCacheRoot();
        DependencyReport r = new DependencyCheck(RealWheels.cp313t(), Variant.parse("cp313t"), RealWheels.toolchain("cp313"),
                cache, cache.resolve("work/wheels-tests")).budget(4).call(reqs);
        Map<String, DependencyResult> by = r.dependencies().stream()
                .collect(Collectors.toMap(DependencyResult::name, Function.identity()));
        assertEquals(2, by.size(), by.keySet().toString());

        DependencyResult blake3 = by.get("blake3");
        assertEquals(WheelVerdict.WHEEL_REENABLES_GIL, blake3.verdict());
        assertEquals(java.util.List.of("blake3.blake3"), blake3.gilReenabledBy());
        assertEquals(1, blake3.line());
        // the first ready release is one the search checked itself and found ready, newer than the pin
        String first = blake3.firstReady().version();
        assertFalse(first.isEmpty(), blake3.firstReady().note());
        assertTrue(blake3.firstReady().exact(), blake3.firstReady().note());
        assertTrue(blake3.firstReady().probed().contains(first + " wheel-ready"), blake3.firstReady().probed().toString());

        DependencyResult markupsafe = by.get("MarkupSafe");
        assertEquals(WheelVerdict.WHEEL_READY, markupsafe.verdict());
        // 3.0.0 is MarkupSafe's first release with a cp313t wheel
        assertEquals("3.0.0", markupsafe.firstReady().version());
        assertTrue(markupsafe.firstReady().exact());
    }
}
