package dev.ftmatrix.service;

import dev.ftmatrix.abi.AbiDelta;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The abi-checker's header delta of each GIL / free-threaded toolchain pair a run used, measured once per pair of
 * toolchains and stored; the site renders what is stored.
 */
final class DeltaMeasurement {
    private DeltaMeasurement() {
    }

    /**
     * Measures and stores the delta of each free-threaded variant in {@code variants} whose GIL twin also has an
     * installed toolchain, unless the store has it for these two toolchains already; returns how many it measured.
     */
    static int measureMissing(Collection<Variant> variants, Path cache, HeaderDeltas stored, Progress progress) {
        Toolchains toolchains = new Toolchains(cache, progress);
        int measured = 0;
        for (Variant ft : new TreeSet<>(variants)) {
            if (!ft.freeThreaded()) {
                continue;
            }
            Optional<Toolchain> gil = toolchains.find(ft.withGil());
            Optional<Toolchain> free = toolchains.find(ft);
            if (gil.isEmpty() || free.isEmpty() || stored.has(gil.get().label(), free.get().label())) {
                continue;
            }
            stored.put(ft.withGil(), ft, new AbiDelta(gil.get(), free.get()).cacheRoot(cache).progress(progress).call());
            measured++;
        }
        return measured;
    }
}
