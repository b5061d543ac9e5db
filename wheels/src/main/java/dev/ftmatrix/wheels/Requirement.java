package dev.ftmatrix.wheels;

/**
 * One dependency as a file states it: a PEP 508 requirement ({@code numpy>=2; python_version>="3.10"}) or, from a
 * lock file, a pin ({@code numpy==2.1.0}) with the marker under which it is installed.
 *
 * @param line where the file states it (1-based; 0 when unknown)
 * @param pinned the version a lock file pins, else empty
 * @param marker a lock file's environment marker for the pin, else empty
 */
public record Requirement(String name, String spec, int line, String pinned, String marker) {
    public Requirement {
        pinned = pinned == null ? "" : pinned;
        marker = marker == null ? "" : marker;
    }
}
