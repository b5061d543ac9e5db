package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.ArchiveLimits;
import dev.ftmatrix.support.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks sdists and wheels ({@code .tar.gz}, {@code .tar.bz2}, {@code .tar}, {@code .zip}, {@code .whl}) without
 * trusting them: entries with absolute paths or {@code ..}, links that leave the tree, device files and fifos are
 * refused, and so is an archive past its entry or size limit, counted while streaming. On refusal the destination
 * is removed, so a refused archive leaves nothing behind. Symbolic links are created last, after every file, so no
 * entry can ever be written through one.
 */
public final class SafeExtractor {
    private static final int MAX_LINK_TARGET = 4096;
    private final ArchiveLimits limits;

    public SafeExtractor(ArchiveLimits limits) {
        this.limits = limits;
    }

    /** The archive kinds this reads, by file name; null when the name is none of them. */
    public static String kind(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return "tar.gz";
        } else if (n.endsWith(".tar.bz2") || n.endsWith(".tbz2")) {
            return "tar.bz2";
        } else if (n.endsWith(".tar")) {
            return "tar";
        } else if (n.endsWith(".zip") || n.endsWith(".whl")) {
            return "zip";
        }
        return null;
    }

    /** Extracts {@code archive} into {@code dest}, which must not exist yet. */
    public void extract(Path archive, Path dest) {
        String kind = kind(archive.getFileName().toString());
        if (kind == null) {
            throw new UserInputException("archive " + archive + ": unknown kind; give a .tar.gz, .tar.bz2, .tar, .zip"
                    + " or .whl file");
        }
        Run run = new Run(archive, dest.toAbsolutePath().normalize());
        boolean ok = false;
        try {
            Files.createDirectories(run.root);
            if (kind.equals("zip")) {
                readZip(run);
            } else {
                readTar(run, kind);
            }
            run.createLinks();
            ok = true;
        } catch (IOException e) {
            throw new UserInputException("archive " + archive + " cannot be read as " + kind + ": " + e.getMessage()
                    + "; the file is damaged or not what its name says", e);
        } finally {
            if (!ok) {
                FileTrees.delete(run.root);
            }
        }
    }

    private void readTar(Run run, String kind) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(run.archive));
        InputStream in = switch (kind) {
            case "tar.gz" -> new GzipCompressorInputStream(raw, true);
            case "tar.bz2" -> new BZip2CompressorInputStream(raw, true);
            default -> raw;
        };
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                run.count(e.getName());
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw run.refuse(e.getName(), "is a device file or fifo");
                } else if (e.isSymbolicLink()) {
                    run.symlink(e.getName(), e.getLinkName());
                } else if (e.isLink()) {
                    run.hardLink(e.getName(), e.getLinkName());
                } else if (e.isDirectory()) {
                    run.directory(e.getName());
                } else if (e.isFile()) {
                    run.file(e.getName(), e.getSize(), tar, (e.getMode() & 0111) != 0);
                } else {
                    throw run.refuse(e.getName(), "has an unsupported entry type");
                }
            }
        }
    }

    private void readZip(Run run) throws IOException {
        // Commons Compress reads the whole central directory (some KiB of heap an entry) before it hands out the
        // first entry, so the entry limit is checked first, on an upper bound that needs no parsing
        long headers = centralHeaders(run.archive);
        if (headers > limits.maxEntries()) {
            throw run.refuseLimit("more than " + limits.maxEntries() + " entries (" + headers
                    + " central directory headers)");
        }
        try (ZipFile zip = ZipFile.builder().setPath(run.archive).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry e = entries.nextElement();
                run.count(e.getName());
                int type = e.getUnixMode() & 0170000;
                if (type != 0 && type != 0100000 && type != 0040000 && type != 0120000) {
                    throw run.refuse(e.getName(), "is a device file, fifo or socket");
                }
                if (!e.isDirectory() && !READABLE_ZIP_METHODS.contains(e.getMethod())) {
                    // XZ, Zstandard, LZMA, ... need codecs that are not here (and that no sdist or wheel uses): such an
                    // entry is refused as the archive's fault, not a crash of ftm
                    throw run.refuse(e.getName(), "is compressed with zip method " + e.getMethod()
                            + ", which sdists and wheels do not use (stored, deflated, deflate64 or bzip2 are read)");
                }
                if (e.isUnixSymlink()) {
                    try (InputStream in = zip.getInputStream(e)) {
                        byte[] target = in.readNBytes(MAX_LINK_TARGET + 1);
                        if (target.length > MAX_LINK_TARGET) {
                            throw run.refuse(e.getName(), "is a link with an over-long target");
                        }
                        run.symlink(e.getName(), new String(target, StandardCharsets.UTF_8));
                    }
                } else if (e.isDirectory()) {
                    run.directory(e.getName());
                } else {
                    try (InputStream in = zip.getInputStream(e)) {
                        run.file(e.getName(), e.getSize(), in, (e.getUnixMode() & 0111) != 0);
                    }
                }
            }
        }
    }

    /** The zip compression methods commons-compress reads without optional codecs: stored, deflated, deflate64, bzip2. */
    private static final Set<Integer> READABLE_ZIP_METHODS = Set.of(0, 8, 9, 12);

    /**
     * How often a zip central directory header's signature ({@code PK\1\2}) occurs in the file: at least as many
     * entries as any reader can find, however the headers lie, in one pass and constant memory.
     */
    static long centralHeaders(Path zip) throws IOException {
        long count = 0;
        int window = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(zip), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    window = (window << 8) | (buf[i] & 0xff);
                    if (window == 0x504b0102) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** One extraction: its counters and the links to create at the end. */
    private final class Run {
        final Path archive;
        final Path root;
        long entries;
        long bytes;
        final List<Path[]> links = new ArrayList<>();
        /** Directories this run made (links are made last, so none of these can have become a link). */
        final Set<Path> made = new HashSet<>();
        final byte[] buf = new byte[64 * 1024];

        Run(Path archive, Path root) {
            this.archive = archive;
            this.root = root;
        }

        UserInputException refuse(String entry, String why) {
            return new UserInputException("archive " + archive.getFileName() + ": entry '" + entry + "' " + why
                    + "; refusing to extract it (nothing was kept)");
        }

        UserInputException refuseLimit(String what) {
            return new UserInputException("archive " + archive.getFileName() + ": " + what
                    + "; refusing to extract it (nothing was kept). Raise the archive limits only if you trust it");
        }

        void count(String name) {
            if (++entries > limits.maxEntries()) {
                throw refuseLimit("more than " + limits.maxEntries() + " entries (at '" + name + "')");
            }
        }

        /** The entry's place in the tree; refuses absolute paths, {@code ..} and anything else that leaves it. */
        Path inside(String name) {
            String n = name.replace('\\', '/');
            if (n.isEmpty() || n.indexOf('\0') >= 0) {
                throw refuse(name, "has an empty or malformed name");
            }
            if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
                throw refuse(name, "has an absolute path");
            }
            for (String part : n.split("/")) {
                if (part.equals("..")) {
                    throw refuse(name, "has a '..' path component");
                }
            }
            Path p = root.resolve(n).normalize();
            if (!p.startsWith(root) || p.equals(root)) {
                throw refuse(name, "does not name a place inside the archive's tree");
            }
            return p;
        }

        void directory(String name) throws IOException {
            String n = name.replace('\\', '/');
            if (n.equals("./") || n.equals(".")) {
                return;   // tar -C dir . names the root itself
            }
            Files.createDirectories(inside(name));
        }

        void file(String name, long declaredSize, InputStream in, boolean executable) throws IOException {
            Path p = inside(name);
            if (declaredSize > 0 && bytes + declaredSize > limits.maxTotalBytes()) {
                throw refuseLimit("unpacks to more than " + limits.maxTotalBytes() + " bytes (at '" + name + "')");
            }
            if (made.add(p.getParent())) {
                Files.createDirectories(p.getParent());   // once per directory: an sdist has thousands of files
            }
            try (OutputStream out = Files.newOutputStream(p)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    bytes += n;
                    if (bytes > limits.maxTotalBytes()) {
                        throw refuseLimit("unpacks to more than " + limits.maxTotalBytes() + " bytes (at '" + name
                                + "')");
                    }
                    out.write(buf, 0, n);
                }
            }
            if (executable) {
                p.toFile().setExecutable(true, false);
            }
        }

        /** A hard link becomes a copy of the file it names, which must be inside the tree and already extracted. */
        void hardLink(String name, String target) throws IOException {
            Path p = inside(name);
            Path t;
            try {
                t = inside(target);
            } catch (UserInputException e) {
                throw refuse(name, "is a hard link to '" + target + "' outside the archive's tree");
            }
            if (!Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)) {
                throw refuse(name, "is a hard link to '" + target + "', which is not a file extracted before it");
            }
            bytes += Files.size(t);
            if (bytes > limits.maxTotalBytes()) {
                throw refuseLimit("unpacks to more than " + limits.maxTotalBytes() + " bytes (at '" + name + "')");
            }
            Files.createDirectories(p.getParent());
            Files.copy(t, p, StandardCopyOption.REPLACE_EXISTING);
        }

        void symlink(String name, String target) {
            Path p = inside(name);
            String t = target.replace('\\', '/');
            if (t.isEmpty() || t.startsWith("/") || t.matches("^[A-Za-z]:.*") || t.indexOf('\0') >= 0) {
                throw refuse(name, "is a link to '" + target + "', an absolute or malformed path");
            }
            Path resolved = p.getParent().resolve(t).normalize();
            if (!resolved.startsWith(root)) {
                throw refuse(name, "is a link to '" + target + "', which leaves the archive's tree");
            }
            links.add(new Path[] {p, Path.of(t)});
        }

        /** Last: every link's directory must be a real directory of the tree, never a link made before it. */
        void createLinks() throws IOException {
            for (Path[] l : links) {
                Path rel = root.relativize(l[0].getParent());
                Path at = root;
                for (Path part : rel) {
                    at = at.resolve(part);
                    if (Files.isSymbolicLink(at)) {
                        throw refuse(root.relativize(l[0]).toString(), "lies below the link '" + root.relativize(at)
                                + "'");
                    }
                }
                Files.createDirectories(l[0].getParent());
                Files.deleteIfExists(l[0]);
                Files.createSymbolicLink(l[0], l[1]);
            }
        }
    }
}
