package dev.ftmatrix.builder.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a built wheel needs the pip run that fetches its dependencies: only its metadata's headers decide. */
class WheelhouseMetadataTest {
    @TempDir
    Path tmp;

    private Path wheel(String name, String metadata) throws IOException {
        Path w = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(w))) {
            z.putNextEntry(new ZipEntry("pkg/__init__.py"));
            z.closeEntry();
            if (metadata != null) {
                z.putNextEntry(new ZipEntry("pkg-1.0.dist-info/METADATA"));
                z.write(metadata.getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return w;
    }

    @Test
    void aWheelWithoutRequiresDistNeedsNothing() throws IOException {
        assertTrue(Wheelhouse.requiresNothing(wheel("a.whl", "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n\n"
                + "Requires-Dist: in the description is prose, not a header\n")));
    }

    @Test
    void aDependencyEvenUnderAMarkerOrAnExtraAsksPip() throws IOException {
        assertFalse(Wheelhouse.requiresNothing(wheel("b.whl", "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n"
                + "Requires-Dist: pytest; extra == \"test\"\n\nText\n")));
        assertFalse(Wheelhouse.requiresNothing(wheel("c.whl", "Metadata-Version: 2.1\nName: pkg\n"
                + "Requires-Dist: typing-extensions>=4\n")));
    }

    @Test
    void unreadableMetadataLeavesItToPip() throws IOException {
        assertFalse(Wheelhouse.requiresNothing(wheel("d.whl", null)));
        Path notAZip = Files.writeString(tmp.resolve("e.whl"), "not a zip");
        assertFalse(Wheelhouse.requiresNothing(notAZip));
    }
}
