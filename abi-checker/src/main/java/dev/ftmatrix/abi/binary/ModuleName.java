package dev.ftmatrix.abi.binary;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an extension module's file name says about the interpreter it is for (PEP 3149 / PEP 703 suffixes):
 * {@code m.cpython-313t-x86_64-linux-gnu.so}, {@code m.cp313t-win_amd64.pyd}, {@code m.abi3.so}, or a bare {@code m.so}.
 *
 * @param tag {@code cpython-313t}, {@code abi3}, or empty for a bare name
 */
record ModuleName(String module, String tag, int minor, boolean freeThreaded) {
    private static final Pattern SUFFIX = Pattern.compile(
            "^([^./]+)\\.(?:(cpython|cp)-?3(\\d+)(t?)(?:[-_][^.]*)?|(abi3))\\.(so|pyd|dylib)$");
    private static final Pattern BARE = Pattern.compile("^([^./]+)\\.(so|pyd)$");

    /** The name of {@code fileName}, or null when it is not an extension module. */
    static ModuleName of(String fileName) {
        Matcher m = SUFFIX.matcher(fileName);
        if (m.matches()) {
            if (m.group(5) != null) {
                return new ModuleName(m.group(1), "abi3", 0, false);
            }
            return new ModuleName(m.group(1), "cpython-3" + m.group(3) + m.group(4), Integer.parseInt(m.group(3)),
                    !m.group(4).isEmpty());
        }
        Matcher b = BARE.matcher(fileName);
        return b.matches() && !fileName.startsWith("lib") ? new ModuleName(b.group(1), "", 0, false) : null;
    }
}
