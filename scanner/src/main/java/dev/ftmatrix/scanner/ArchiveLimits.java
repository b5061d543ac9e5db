package dev.ftmatrix.scanner;

/**
 * How much an archive may unpack to: past either limit extraction stops at once (while streaming, so a bomb never
 * fills the disk) and the archive is refused.
 *
 * @param maxEntries the most entries (files, directories, links) an archive may hold
 * @param maxTotalBytes the most bytes all its files may unpack to together
 */
public record ArchiveLimits(long maxEntries, long maxTotalBytes) {
    /**
     * Four times the largest of 73 real sdists in our cache (rapidfuzz 3.10.1 unpacks to 120 MiB; numpy 2.1.3 has the
     * most entries, 7,735): 512 MiB and 50,000 entries, so a bomb stops long before it fills a disk or the heap.
     */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(50_000, 512L * 1024 * 1024);

    public ArchiveLimits {
        if (maxEntries < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("archive limits must be positive: " + maxEntries + " entries, "
                    + maxTotalBytes + " bytes");
        }
    }
}
