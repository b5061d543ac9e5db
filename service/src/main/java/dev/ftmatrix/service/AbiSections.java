package dev.ftmatrix.service;

import dev.ftmatrix.abi.AbiDelta;
import dev.ftmatrix.abi.DeltaReports;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The header delta of each GIL / free-threaded toolchain pair a run used, as HTML sections for the site. */
final class AbiSections {
    private AbiSections() {
    }

    /**
     * One section per free-threaded variant in {@code variants} whose GIL twin also has an installed toolchain;
     * a pair that cannot be measured is left out, with the reason reported.
     */
    static Map<String, String> of(Collection<Variant> variants, Path cache, Progress progress) {
        Toolchains toolchains = new Toolchains(cache, progress);
        Map<String, String> out = new LinkedHashMap<>();
        for (Variant ft : new TreeSet<>(variants)) {
            if (!ft.freeThreaded()) {
                continue;
            }
            Optional<Toolchain> gil = toolchains.find(ft.withGil());
            Optional<Toolchain> free = toolchains.find(ft);
            if (gil.isEmpty() || free.isEmpty()) {
                continue;
            }
            try {
                out.put(ft.withGil() + "-" + ft, DeltaReports.html(new AbiDelta(gil.get(), free.get()).cacheRoot(cache)
                        .progress(progress).call()));
            } catch (RuntimeException e) {
                progress.report("site: no ABI section for " + ft.withGil() + "/" + ft + ": " + e.getMessage());
            }
        }
        return out;
    }
}
