package dev.ftmatrix.wheels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseVersionTest {
    @Test
    void ordersAsPep440Does() {
        List<String> ordered = List.of("not-a-version", "0.9", "1.0.dev1", "1.0a1.dev2", "1.0a1", "1.0b2", "1.0rc1",
                "1.0", "1.0.post1.dev1", "1.0.post1", "1.0.1", "1.2", "1.10", "1!0.1");
        List<ReleaseVersion> shuffled = new ArrayList<>(ordered.stream().map(ReleaseVersion::new).toList());
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(ReleaseVersion::text).toList());
    }

    @Test
    void trailingZerosAndLocalLabelsDoNotCount() {
        assertEquals(0, new ReleaseVersion("1.0").compareTo(new ReleaseVersion("1.0.0")));
        assertEquals(0, new ReleaseVersion("2.0.45").compareTo(new ReleaseVersion("2.0.45+local.1")));
    }

    @Test
    void knowsPreReleases() {
        assertTrue(new ReleaseVersion("2.0rc1").preRelease());
        assertTrue(new ReleaseVersion("2.0.dev3").preRelease());
        assertFalse(new ReleaseVersion("2.0.post1").preRelease());
    }
}
