package dev.ftmatrix.scanner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.ArchiveLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeExtractorTest {
    @TempDir
    Path tmp;

    /** One tar entry to write: a file with content, a directory, a link, or a special file. */
    record E(String name, byte type, String content, String link, long size) {
        static E file(String name, String content) {
            return new E(name, TarConstants.LF_NORMAL, content, null, -1);
        }

        static E zeros(String name, long size) {
            return new E(name, TarConstants.LF_NORMAL, null, null, size);
        }

        static E dir(String name) {
            return new E(name, TarConstants.LF_DIR, null, null, -1);
        }

        static E symlink(String name, String target) {
            return new E(name, TarConstants.LF_SYMLINK, null, target, -1);
        }

        static E hardlink(String name, String target) {
            return new E(name, TarConstants.LF_LINK, null, target, -1);
        }

        static E special(String name, byte type) {
            return new E(name, type, null, null, -1);
        }
    }

    private Path tarGz(String fileName, E... entries) throws IOException {
        Path p = tmp.resolve(fileName);
        try (OutputStream raw = Files.newOutputStream(p);
             OutputStream z = fileName.endsWith(".bz2") ? new BZip2CompressorOutputStream(raw)
                     : new GzipCompressorOutputStream(raw);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(z)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (E e : entries) {
                // the constructor would strip a leading '/' and '..'; set the raw name afterwards
                TarArchiveEntry te = new TarArchiveEntry(e.name().startsWith("/") ? "x" : e.name(), e.type(), true);
                te.setName(e.name());
                if (e.link() != null) {
                    te.setLinkName(e.link());
                }
                byte[] data = e.content() == null ? new byte[0] : e.content().getBytes(StandardCharsets.UTF_8);
                long size = e.size() >= 0 ? e.size() : data.length;
                if (e.type() == TarConstants.LF_NORMAL) {
                    te.setSize(size);
                }
                tar.putArchiveEntry(te);
                if (e.size() >= 0) {
                    byte[] block = new byte[1 << 20];
                    for (long left = size; left > 0; left -= block.length) {
                        tar.write(block, 0, (int) Math.min(block.length, left));
                    }
                } else {
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return p;
    }

    private UserInputException refused(Path archive, ArchiveLimits limits) {
        Path dest = tmp.resolve("out").resolve("tree");
        UserInputException e = assertThrows(UserInputException.class,
                () -> new SafeExtractor(limits).extract(archive, dest));
        assertFalse(Files.exists(dest), "a refused archive leaves no tree behind");
        assertNothingOutside();
        return e;
    }

    private UserInputException refused(Path archive) {
        return refused(archive, ArchiveLimits.DEFAULT);
    }

    /** The only things in the temp dir are the archives we wrote and the (empty) parent of the destination. */
    private void assertNothingOutside() {
        try (Stream<Path> s = Files.walk(tmp)) {
            List<String> stray = s.map(p -> tmp.relativize(p).toString())
                    .filter(n -> !n.isEmpty() && !n.equals("out") && !n.matches("[^/]*\\.(tar\\.gz|tar\\.bz2|zip)"))
                    .toList();
            assertEquals(List.of(), stray, "nothing may be written outside the destination");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void extractsAnOrdinarySdistWithAnInternalLink() throws IOException {
        Path a = tarGz("pkg-1.0.tar.gz", E.dir("./"), E.dir("pkg-1.0/"), E.file("pkg-1.0/setup.py", "setup()\n"),
                E.file("pkg-1.0/src/m.c", "int x;\n"), E.symlink("pkg-1.0/link.c", "src/m.c"),
                E.hardlink("pkg-1.0/copy.c", "pkg-1.0/src/m.c"));
        Path dest = tmp.resolve("out").resolve("tree");
        new SafeExtractor(ArchiveLimits.DEFAULT).extract(a, dest);
        assertEquals("setup()\n", Files.readString(dest.resolve("pkg-1.0/setup.py")));
        assertEquals("int x;\n", Files.readString(dest.resolve("pkg-1.0/link.c")));
        assertTrue(Files.isSymbolicLink(dest.resolve("pkg-1.0/link.c")));
        assertEquals("int x;\n", Files.readString(dest.resolve("pkg-1.0/copy.c")));
    }

    @Test
    void extractsBzip2Tarballs() throws IOException {
        Path a = tarGz("pkg-1.0.tar.bz2", E.file("pkg-1.0/a.txt", "hello"));
        Path dest = tmp.resolve("out").resolve("tree");
        new SafeExtractor(ArchiveLimits.DEFAULT).extract(a, dest);
        assertEquals("hello", Files.readString(dest.resolve("pkg-1.0/a.txt")));
    }

    @Test
    void refusesAZipEntryCompressedWithAMethodWithoutCodecHereAsTheArchivesFault() throws IOException {
        // found by ParsersFuzzTest: a flipped method field (95, XZ) made commons-compress reach for the XZ codec, which
        // is not on the class path: NoClassDefFoundError, a crash of ftm, where the archive is at fault
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(bytes)) {
            java.util.zip.ZipEntry e = new java.util.zip.ZipEntry("pkg-1.0/setup.py");
            byte[] data = "setup()\n".getBytes(StandardCharsets.UTF_8);
            e.setMethod(java.util.zip.ZipEntry.STORED);
            e.setSize(data.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(data);
            z.closeEntry();
        }
        byte[] zip = bytes.toByteArray();
        // the method field: offset 8 of the local header (PK\3\4), offset 10 of the central one (PK\1\2)
        for (int i = 0; i + 3 < zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) {
                zip[i + 8] = 95;
            } else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                zip[i + 10] = 95;
            }
        }
        Path a = tmp.resolve("pkg-1.0.zip");
        Files.write(a, zip);
        Path dest = tmp.resolve("out").resolve("tree");
        UserInputException e = assertThrows(UserInputException.class,
                () -> new SafeExtractor(new ArchiveLimits(100, 1 << 20)).extract(a, dest));
        assertTrue(e.getMessage().contains("zip method 95"), e.getMessage());
        assertFalse(Files.exists(dest), "a refused archive leaves nothing");
    }

    @Test
    void refusesDotDotEntries() throws IOException {
        Path a = tarGz("evil.tar.gz", E.file("pkg/ok.txt", "fine"), E.file("pkg/../../escaped.txt", "gotcha"));
        assertTrue(refused(a).getMessage().contains("'..'"));
    }

    @Test
    void refusesAbsolutePaths() throws IOException {
        Path target = tmp.resolve("absolute.txt");
        Path a = tarGz("evil.tar.gz", E.file(target.toString(), "gotcha"));
        assertTrue(refused(a).getMessage().contains("absolute path"));
        assertFalse(Files.exists(target));
    }

    @Test
    void refusesSymlinksLeavingTheTree() throws IOException {
        Path a = tarGz("evil.tar.gz", E.symlink("pkg/etc", "../../.."), E.file("pkg/etc/passwd", "root::0:0"));
        assertTrue(refused(a).getMessage().contains("leaves the archive's tree"));
        Path b = tarGz("evil2.tar.gz", E.symlink("pkg/abs", "/etc"));
        assertTrue(refused(b).getMessage().contains("absolute"));
    }

    @Test
    void refusesALinkChainThatEscapesThroughAnotherLink() throws IOException {
        // d/l -> .. is inside (the root); d/l/e -> ../x looks inside lexically but really points above the root
        Path a = tarGz("evil.tar.gz", E.dir("d/"), E.symlink("d/l", ".."), E.symlink("d/l/e", "../x"));
        assertTrue(refused(a).getMessage().contains("lies below the link"));
    }

    @Test
    void refusesHardLinksLeavingTheTree() throws IOException {
        Path a = tarGz("evil.tar.gz", E.hardlink("pkg/passwd", "../../etc/passwd"));
        assertTrue(refused(a).getMessage().contains("hard link"));
        Path b = tarGz("evil2.tar.gz", E.hardlink("pkg/passwd", "/etc/passwd"));
        assertTrue(refused(b).getMessage().contains("hard link"));
    }

    @Test
    void refusesDeviceFilesAndFifos() throws IOException {
        Path a = tarGz("evil.tar.gz", E.special("pkg/null", TarConstants.LF_CHR));
        assertTrue(refused(a).getMessage().contains("device file"));
        Path b = tarGz("evil2.tar.gz", E.special("pkg/disk", TarConstants.LF_BLK));
        assertTrue(refused(b).getMessage().contains("device file"));
        Path c = tarGz("evil3.tar.gz", E.special("pkg/pipe", TarConstants.LF_FIFO));
        assertTrue(refused(c).getMessage().contains("fifo"));
    }

    @Test
    void refusesArchivesWithTooManyEntries() throws IOException {
        E[] many = new E[50];
        for (int i = 0; i < many.length; i++) {
            many[i] = E.file("pkg/f" + i, "x");
        }
        Path a = tarGz("many.tar.gz", many);
        assertTrue(refused(a, new ArchiveLimits(20, 1 << 30)).getMessage().contains("more than 20 entries"));
    }

    @Test
    void refusesABombBeforeItIsWritten() throws IOException {
        // 64 MiB of zeros compress to ~64 KiB; the limit is 8 MiB
        Path a = tarGz("bomb.tar.gz", E.zeros("pkg/zeros", 64L << 20));
        assertTrue(Files.size(a) < 1 << 20);
        assertTrue(refused(a, new ArchiveLimits(1000, 8L << 20)).getMessage().contains("more than 8388608 bytes"));
    }

    @Test
    void refusesABombSpreadOverManyFiles() throws IOException {
        E[] parts = new E[16];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = E.zeros("pkg/part" + i, 1L << 20);
        }
        Path a = tarGz("bomb.tar.gz", parts);
        assertTrue(refused(a, new ArchiveLimits(1000, 4L << 20)).getMessage().contains("bytes"));
    }

    private Path zip(String fileName, ZipEntrySpec... entries) throws IOException {
        Path p = tmp.resolve(fileName);
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(p)) {
            for (ZipEntrySpec e : entries) {
                ZipArchiveEntry ze = new ZipArchiveEntry(e.name());
                ze.setUnixMode(e.mode());
                zip.putArchiveEntry(ze);
                zip.write(e.content().getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return p;
    }

    record ZipEntrySpec(String name, int mode, String content) {
    }

    @Test
    void extractsWheelsAndZips() throws IOException {
        Path a = zip("pkg-1.0.zip", new ZipEntrySpec("pkg-1.0/setup.py", 0100644, "setup()\n"));
        Path dest = tmp.resolve("out").resolve("tree");
        new SafeExtractor(ArchiveLimits.DEFAULT).extract(a, dest);
        assertEquals("setup()\n", Files.readString(dest.resolve("pkg-1.0/setup.py")));
    }

    @Test
    void refusesZipEntriesThatLeaveTheTree() throws IOException {
        assertTrue(refused(zip("evil.zip", new ZipEntrySpec("../escaped.txt", 0100644, "x"))).getMessage()
                .contains("'..'"));
        assertTrue(refused(zip("evil2.zip", new ZipEntrySpec("a/link", 0120777, "../../outside"))).getMessage()
                .contains("leaves the archive's tree"));
        assertTrue(refused(zip("evil3.zip", new ZipEntrySpec("a/pipe", 0010644, ""))).getMessage()
                .contains("fifo"));
        assertTrue(refused(zip("evil4.zip", new ZipEntrySpec("/abs.txt", 0100644, "x"))).getMessage()
                .contains("absolute"));
    }

    @Test
    void refusesFilesThatAreNotArchives() throws IOException {
        Path p = tmp.resolve("broken.tar.gz");
        Files.writeString(p, "not gzip at all");
        assertTrue(refused(p).getMessage().contains("cannot be read as tar.gz"));
    }

    @Test
    void aZipWithTooManyEntriesIsRefusedBeforeItsDirectoryIsRead() throws IOException {
        Path p = tmp.resolve("many.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(p)) {
            for (int i = 0; i < 200_000; i++) {
                zip.putArchiveEntry(new ZipArchiveEntry("p/" + i));
                zip.closeArchiveEntry();
            }
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        UserInputException e = refused(p, ArchiveLimits.DEFAULT);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("more than 50000 entries (200000 central directory headers)"), e.getMessage());
        // reading the directory in full allocates some 750 MB for these entries
        assertTrue(allocated < (16L << 20), allocated + " bytes allocated");
    }

    @Test
    void aZipWhoseHeadersUnderstateItsSizeStopsAtTheLimitOfBytesWritten() throws IOException {
        Path p = tmp.resolve("liar.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(p)) {
            zip.putArchiveEntry(new ZipArchiveEntry("p/zeros"));
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(block);
            }
            zip.closeArchiveEntry();
        }
        // both headers (local, central) now say the entry unpacks to 10 bytes
        byte[] bytes = Files.readAllBytes(p);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.length; i++) {
            int sig = b.getInt(i);
            if (sig == 0x04034b50) {
                b.putInt(i + 22, 10);
            } else if (sig == 0x02014b50) {
                b.putInt(i + 24, 10);
            }
        }
        Files.write(p, bytes);
        Path dest = tmp.resolve("out").resolve("tree");
        long[] written = {0};
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    written[0] = Math.max(written[0], Files.size(dest.resolve("p/zeros")));
                } catch (IOException ignored) {
                    // not there (yet, or any more)
                }
                Thread.onSpinWait();
            }
        });
        UserInputException e;
        try {
            e = refused(p, new ArchiveLimits(100, 4L << 20));
        } finally {
            watcher.interrupt();
        }
        assertTrue(e.getMessage().contains("more than 4194304 bytes"), e.getMessage());
        assertTrue(written[0] <= (4L << 20), written[0] + " bytes were on disk");
    }
}
