package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.internal.ArchiveSources;
import dev.ftmatrix.scanner.internal.SafeExtractor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Property-based fuzzing of what the scanner parses from users and from the network: source specs and archives.
 * No input may end in anything but a result or a {@link UserInputException}, nor write outside its destination.
 * Tries are bounded so the class runs in seconds.
 */
class ParsersFuzzTest {
    private Path tmp;

    @BeforeProperty
    void makeTemp() throws IOException {
        tmp = Files.createTempDirectory("ftm-fuzz");
    }

    @AfterProperty
    void removeTemp() {
        dev.ftmatrix.support.FileTrees.delete(tmp);
    }

    /** Strings with the characters that break parsers: separators, quotes, NUL, newlines, non-ASCII. */
    @Provide
    Arbitrary<String> nasty() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019.-_=<>!~[];:/\\@#%*? \t\n\r\0\"'`$éü").ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("==", "a==", "==1", "a==1==2", "a ==1", "a[b]==1", "a==1; python_version<'3'",
                        "\0", "a\0==1", "../..", "/", "."));
    }

    @Property(tries = 500)
    void aPypiPinParsesOrIsAUserError(@ForAll("nasty") String spec) {
        try {
            ArchiveSources.Pin p = ArchiveSources.Pin.parse(spec);
            assertFalse(p.name().isBlank() || p.version().isBlank(), spec + " -> " + p);
        } catch (UserInputException e) {
            assertTrue(e.getMessage().contains("pypi:NAME==VERSION"), e.getMessage());
        }
    }

    @Property(tries = 200)
    void aLocalSourceOrSubdirectoryFetchesOrIsAUserError(@ForAll("nasty") String name, @ForAll("nasty") String sub)
            throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project/pkg"));
        Files.writeString(project.getParent().resolve("setup.py"), "setup()\n");
        SourceFetcher fetcher = new SourceFetcher(tmp.resolve("cache"), l -> { }, SourceFetcher.PYPI, ArchiveLimits.DEFAULT);
        // local specs only (git+ and pypi: would go to the network), all inside the temp dir
        String local = name.replace("..", "").replace("git+", "").replace("pypi:", "");
        for (String source : List.of(tmp.resolve("project") + "/" + local, "path:" + tmp.resolve("project") + local)) {
            try {
                fetcher.fetch(source, "", "", tmp.resolve("work"));
            } catch (UserInputException e) {
                assertFalse(e.getMessage().isBlank());
            }
        }
        try {
            FetchedSource s = fetcher.fetch(tmp.resolve("project").toString(), "", sub, tmp.resolve("work"));
            assertTrue(s.dir().startsWith(tmp.resolve("work")), s.dir().toString());
        } catch (UserInputException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (String n : List.of("pkg-1.0/setup.py", "pkg-1.0/pkg/__init__.py", "pkg-1.0/tests/test_a.py")) {
                zip.putArchiveEntry(new ZipArchiveEntry(n));
                zip.write(("# " + n + "\n").repeat(20).getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] tarGz() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (String n : List.of("pkg-1.0/setup.py", "pkg-1.0/pkg/__init__.py")) {
                byte[] data = ("# " + n + "\n").repeat(20).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(n);
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A real archive with some of its bytes changed: headers, sizes, names and data all get hit. */
    @Property(tries = 300)
    void aDamagedArchiveExtractsOrIsAUserErrorAndNeverWritesOutside(
            @ForAll boolean asZip, @ForAll @IntRange(min = 1, max = 8) int flips, @ForAll long seed) throws IOException {
        byte[] archive = asZip ? zip() : tarGz();
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < flips; i++) {
            archive[random.nextInt(archive.length)] = (byte) random.nextInt(256);
        }
        Path file = tmp.resolve(asZip ? "a.zip" : "a.tar.gz");
        Files.write(file, archive);
        Path dest = tmp.resolve("out/tree");
        try {
            new SafeExtractor(new ArchiveLimits(100, 1 << 20)).extract(file, dest);
        } catch (UserInputException e) {
            assertFalse(Files.exists(dest), "a refused archive leaves nothing");
        }
        try (Stream<Path> s = Files.walk(tmp)) {
            List<Path> outside = s.filter(p -> !p.equals(tmp) && !p.startsWith(tmp.resolve("out"))
                    && !(p.getParent().equals(tmp) && p.getFileName().toString().startsWith("a.")))
                    .toList();
            assertTrue(outside.isEmpty(), "written outside: " + outside);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        dev.ftmatrix.support.FileTrees.delete(tmp.resolve("out"));
    }
}
