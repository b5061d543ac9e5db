package dev.ftmatrix.abi.binary;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wheel's file name as PEP 427 writes it, {@code dist-version(-build)?-python-abi-platform.whl}, with its compressed
 * tag sets expanded ({@code cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64}).
 */
record WheelName(String distribution, String version, Set<String> tags, Set<String> abis) {
    private static final Pattern NAME = Pattern.compile(
            "^([^-]+)-([^-]+)(?:-\\d[^-]*)?-([^-]+)-([^-]+)-([^-]+)\\.whl$");

    /** Parses {@code fileName}, or returns null when it is not a wheel name. */
    static WheelName of(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        Set<String> tags = new LinkedHashSet<>();
        Set<String> abis = new LinkedHashSet<>();
        for (String py : m.group(3).split("\\.")) {
            for (String abi : m.group(4).split("\\.")) {
                abis.add(abi);
                for (String plat : m.group(5).split("\\.")) {
                    tags.add(py + "-" + abi + "-" + plat);
                }
            }
        }
        return new WheelName(m.group(1), m.group(2), tags, abis);
    }

    /** PEP 503 normalisation, for comparing with METADATA's Name. */
    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "_");
    }
}
