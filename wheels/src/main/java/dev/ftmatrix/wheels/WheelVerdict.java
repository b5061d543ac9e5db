package dev.ftmatrix.wheels;

import com.fasterxml.jackson.annotation.JsonValue;

/** The verdict on one release's published wheel for one variant, in the words the dashboard shows. */
public enum WheelVerdict {
    /** Every extension module imports and the GIL stays off. */
    WHEEL_READY("wheel-ready"),
    /** Every module imports, but importing one of the wheel's own modules turns the GIL back on (each is named). */
    WHEEL_REENABLES_GIL("wheel-reenables-gil"),
    /** The wheel's binaries do not fit its tag: built against the other build's headers, or the limited API. */
    WHEEL_MISTAGGED("wheel-mistagged"),
    /** Installed with its dependencies, a module of the wheel does not import. */
    WHEEL_IMPORT_FAILS("wheel-import-fails"),
    /** The release has no wheel that an install on this variant would pick. */
    NO_WHEEL("no-wheel"),
    /** ftm failed at a named step: nothing is claimed about the project. */
    ERROR("error");

    private final String word;

    WheelVerdict(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    /** Parses a verdict word; also takes it without its {@code wheel-} prefix ({@code reenables-gil}). */
    public static WheelVerdict of(String word) {
        for (WheelVerdict v : values()) {
            if (v.word.equals(word) || v.word.equals("wheel-" + word)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown wheel verdict '" + word + "': one of wheel-ready,"
                + " wheel-reenables-gil, wheel-mistagged, wheel-import-fails, no-wheel, error");
    }

    @Override
    public String toString() {
        return word;
    }
}
