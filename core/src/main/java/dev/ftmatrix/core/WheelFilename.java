package dev.ftmatrix.core;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wheel's file name as PEP 427 and the platform compatibility tag spec write it:
 * {@code {distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl}, where each tag part may be a
 * compressed set ({@code cp313-cp313t}, {@code abi3.abi3t}, {@code manylinux_2_17_x86_64.manylinux2014_x86_64}).
 */
public record WheelFilename(String distribution, String version, String build, Set<Tag> tags) {
    private static final Pattern CPYTHON = Pattern.compile("cp3(\\d+)");
    private static final Pattern PY = Pattern.compile("py3(\\d*)");

    public WheelFilename {
        tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
    }

    /** One expanded tag: interpreter, ABI and platform. */
    public record Tag(String python, String abi, String platform) {
        /**
         * Whether an interpreter of {@code v} installs a wheel with this tag, as pip's tag ordering allows: its own
         * ABI ({@code cp313} or {@code cp313t}), the stable ABI of a version up to its own ({@code abi3} only on
         * GIL builds, {@code abi3t} only on free-threaded ones), or no ABI at all ({@code none}).
         */
        public boolean installsOn(Variant v) {
            Matcher cp = CPYTHON.matcher(python);
            Integer cpMinor = cp.matches() ? Integer.valueOf(cp.group(1)) : null;
            String ownAbi = "cp3" + v.minor() + (v.freeThreaded() ? "t" : "");
            if (abi.equals(ownAbi)) {
                return cpMinor != null && cpMinor == v.minor();
            }
            if (abi.equals(v.freeThreaded() ? "abi3t" : "abi3")) {
                return cpMinor != null && cpMinor <= v.minor();
            }
            if (abi.equals("none")) {
                if (cpMinor != null) {
                    return cpMinor == v.minor();
                }
                Matcher py = PY.matcher(python);
                return py.matches() && (py.group(1).isEmpty() || Integer.parseInt(py.group(1)) <= v.minor());
            }
            return false;
        }
    }

    /** The parsed name; empty when it is not a well-formed wheel file name. */
    public static Optional<WheelFilename> parse(String filename) {
        if (!filename.endsWith(".whl")) {
            return Optional.empty();
        }
        String[] parts = filename.substring(0, filename.length() - 4).split("-", -1);
        if (parts.length != 5 && parts.length != 6) {
            return Optional.empty();
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                return Optional.empty();
            }
        }
        String build = parts.length == 6 ? parts[2] : null;
        if (build != null && !Character.isDigit(build.charAt(0))) {
            return Optional.empty();
        }
        int t = parts.length - 3;
        Set<Tag> tags = new LinkedHashSet<>();
        for (String py : parts[t].split("\\.")) {
            for (String abi : parts[t + 1].split("\\.")) {
                for (String plat : parts[t + 2].split("\\.")) {
                    if (py.isEmpty() || abi.isEmpty() || plat.isEmpty()) {
                        return Optional.empty();
                    }
                    tags.add(new Tag(py.toLowerCase(), abi.toLowerCase(), plat.toLowerCase()));
                }
            }
        }
        return Optional.of(new WheelFilename(parts[0], parts[1], build, tags));
    }

    /** Whether some tag of the wheel installs on {@code v}. */
    public boolean installsOn(Variant v) {
        return tags.stream().anyMatch(tag -> tag.installsOn(v));
    }

    /** The platforms of the tags that install on {@code v}. */
    public List<String> platformsFor(Variant v) {
        return tags.stream().filter(tag -> tag.installsOn(v)).map(Tag::platform).distinct().toList();
    }
}
