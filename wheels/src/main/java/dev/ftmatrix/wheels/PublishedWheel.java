package dev.ftmatrix.wheels;

/** A wheel file on the index: the one an install on the variant picks. */
public record PublishedWheel(String filename, String url, String sha256) {
}
