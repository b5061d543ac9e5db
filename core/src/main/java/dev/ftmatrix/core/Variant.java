package dev.ftmatrix.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An interpreter variant as cibuildwheel names it: {@code cp313}, {@code cp314t}. */
public record Variant(int major, int minor, boolean freeThreaded) implements Comparable<Variant> {
    private static final Pattern ID = Pattern.compile("cp(3)(1[0-9]|[0-9])(t?)");

    public Variant {
        if (major != 3 || minor < 8) {
            throw new IllegalArgumentException("unsupported CPython version " + major + "." + minor);
        }
        if (freeThreaded && minor < 13) {
            throw new IllegalArgumentException("free-threaded builds exist from CPython 3.13 on, not " + major + "." + minor);
        }
    }

    /** Parses {@code cp313t}; throws {@link IllegalArgumentException} naming the bad id. */
    @JsonCreator
    public static Variant parse(String id) {
        Matcher m = ID.matcher(id == null ? "" : id.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown variant '" + id
                    + "': write it as cibuildwheel does, e.g. cp313, cp313t, cp314, cp314t");
        }
        return new Variant(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), !m.group(3).isEmpty());
    }

    @JsonValue
    public String id() {
        return "cp" + major + minor + (freeThreaded ? "t" : "");
    }

    /** {@code 3.13}. */
    public String version() {
        return major + "." + minor;
    }

    /** The variant of the same version with the GIL: the baseline of a free-threaded one. */
    public Variant withGil() {
        return new Variant(major, minor, false);
    }

    /** The interpreter's file name in a prefix's {@code bin/}: {@code python3.13t}. */
    public String executableName() {
        return "python" + version() + (freeThreaded ? "t" : "");
    }

    @Override
    public int compareTo(Variant o) {
        int c = Integer.compare(minor, o.minor);
        return c != 0 ? c : Boolean.compare(freeThreaded, o.freeThreaded);
    }

    @Override
    public String toString() {
        return id();
    }
}
