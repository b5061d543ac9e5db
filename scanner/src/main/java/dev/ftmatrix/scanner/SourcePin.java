package dev.ftmatrix.scanner;

/**
 * What a source resolves to, known before its tree is fetched: the same {@code fingerprint} and {@code pinned} as the
 * {@link FetchedSource} that fetching it gives.
 */
public record SourcePin(String fingerprint, String pinned) {
}
