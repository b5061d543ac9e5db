package dev.ftmatrix.scanner;

import java.nio.file.Path;

/**
 * A project's source on disk, pinned.
 *
 * @param dir the project's root (after any subdirectory), a work tree of our own that stages may write into
 * @param fingerprint {@code git:<commit id>} or {@code sha256:<hex>} of the content
 * @param pinned what was fetched, pinned: {@code git+file:///x@<commit>}
 */
public record FetchedSource(Path dir, String fingerprint, String pinned) {
    /** The fingerprint and pinned name without the tree. */
    public SourcePin pin() {
        return new SourcePin(fingerprint, pinned);
    }
}
