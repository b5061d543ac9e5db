package dev.ftmatrix.wheels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ftm wheels}' result for one release (JSON schema 1): a {@link WheelResult} per variant. */
public record WheelReport(int schema, String project, String version, String source, Map<String, WheelResult> variants) {
    public static final int SCHEMA = 1;

    public WheelReport {
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    }
}
