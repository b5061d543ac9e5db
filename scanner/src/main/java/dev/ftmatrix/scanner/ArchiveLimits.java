package dev.ftmatrix.scanner;

/**
 * How much an archive may unpack to: past either limit extraction stops at once (while streaming, so a bomb never
 * fills the disk) and the archive is refused.
 *
 * @param maxEntries the most entries (files, directories, links) an archive may hold
 * @param maxTotalBytes the most bytes all its files may unpack to together
 */
public record ArchiveLimits(long maxEntries, long maxTotalBytes) {
    /** Room for the largest sdists we know (tens of thousands of files, a few hundred MiB), far below a full disk. */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(100_000, 2L * 1024 * 1024 * 1024);

    public ArchiveLimits {
        if (maxEntries < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("archive limits must be positive: " + maxEntries + " entries, "
                    + maxTotalBytes + " bytes");
        }
    }
}
