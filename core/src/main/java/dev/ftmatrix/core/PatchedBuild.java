package dev.ftmatrix.core;


/**
 * A project built as pinned and again with one binding layer upgraded, both on the same free-threaded variant.
 *
 * @param from the pin ({@code >=3.0,<3.1}, {@code 2.12.0}, {@code 0.22})
 * @param to what ftm built with instead
 * @param how the change, as the maintainer would make it
 * @param advice what the maintainer should change, from the layer's data
 */
public record PatchedBuild(String layer, String from, String to, String how, Verdict pinned, String pinnedReason,
                           Verdict patched, String patchedReason, String advice) {
    /** One sentence: {@code as pinned: build-failed (...); with pybind11 3.0.1: ready (...)}. */
    public String summary() {
        return layer + " " + from + ": " + pinned.word() + " (" + pinnedReason + "); with " + layer + " " + to + ": "
                + patched.word() + " (" + patchedReason + ")";
    }
}
