package dev.ftmatrix.wheels.internal;

import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.support.Processes;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The wheel tags an install on one interpreter accepts, best first, as pip computes them on this machine
 * ({@code packaging.tags.sys_tags()}: {@code cp313-cp313t-manylinux_2_36_x86_64} first), and the choice pip makes
 * among a release's wheels: the one with the best tag.
 */
public final class TagOrder {
    private final Map<String, Integer> rank;

    private TagOrder(List<String> tags) {
        Map<String, Integer> r = new HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            r.putIfAbsent(tags.get(i), i);
        }
        this.rank = Map.copyOf(r);
    }

    /** Asks the toolchain's own pip (its vendored packaging) for its tags. */
    public static TagOrder of(Toolchain t) {
        Processes.Run r = Processes.run(List.of(t.python().toString(), "-I", "-c",
                "from pip._vendor.packaging.tags import sys_tags\nfor t in sys_tags(): print(t)"),
                t.prefix(), Map.of(), null, l -> { });
        if (!r.ok() || r.output().isBlank()) {
            throw new IllegalStateException(t.python() + " could not list its wheel tags (has it pip?): " + r.tail(5));
        }
        return new TagOrder(r.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    static TagOrder of(List<String> tags) {
        return new TagOrder(tags);
    }

    /** The wheel among {@code files} that pip would install, not yanked. */
    public Optional<PypiJson.IndexFile> pick(List<PypiJson.IndexFile> files) {
        PypiJson.IndexFile best = null;
        int bestRank = Integer.MAX_VALUE;
        for (PypiJson.IndexFile f : files) {
            if (f.yanked()) {
                continue;
            }
            for (String tag : tags(f.filename())) {
                Integer r = rank.get(tag);
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = f;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The ABI tags of a wheel file name ({@code cp313t}, {@code abi3}, {@code none}). */
    public static Set<String> abis(String filename) {
        Set<String> out = new LinkedHashSet<>();
        for (String tag : tags(filename)) {
            out.add(tag.split("-")[1]);
        }
        return out;
    }

    /** A wheel file name's tags, its compressed tag sets expanded (PEP 425); empty when it is not a wheel. */
    public static Set<String> tags(String filename) {
        Set<String> out = new LinkedHashSet<>();
        if (!filename.endsWith(".whl")) {
            return out;
        }
        String[] p = filename.substring(0, filename.length() - 4).split("-");
        if (p.length != 5 && p.length != 6) {
            return out;
        }
        for (String py : p[p.length - 3].split("\\.")) {
            for (String abi : p[p.length - 2].split("\\.")) {
                for (String plat : p[p.length - 1].split("\\.")) {
                    out.add(py + "-" + abi + "-" + plat);
                }
            }
        }
        return out;
    }
}
