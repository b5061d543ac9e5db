package dev.ftmatrix.service;

import dev.ftmatrix.abi.AbiDelta;
import dev.ftmatrix.abi.BinaryCheck;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import dev.ftmatrix.wheels.WheelCheck;
import java.nio.file.Path;
import java.util.List;

/**
 * Wires the wheels stage for {@code ftm wheels} and {@code ftm deps}: each variant's toolchain, and its binary check
 * with the header delta against its twin build (so a module compiled against the other build's headers is seen).
 */
final class WheelChecks {
    private WheelChecks() {
    }

    static WheelCheck of(List<Variant> variants, ToolchainChoice toolchains, Progress progress) {
        Path cache = Toolchains.defaultCacheRoot();
        ToolchainResolver resolver = toolchains.resolver(cache, progress);
        WheelCheck check = new WheelCheck(cache, cache.resolve("work/wheels")).progress(progress);
        for (Variant v : variants) {
            Toolchain t = resolver.resolve(v);
            if (t == null) {
                check.skipped(v, resolver.whySkipped(v));
                continue;
            }
            Variant twin = v.freeThreaded() ? v.withGil() : new Variant(v.major(), v.minor(), true);
            Toolchain other = v.minor() >= 13 ? resolver.resolve(twin) : null;
            BinaryCheck binary = new BinaryCheck(t);
            if (other != null) {
                Toolchain gil = v.freeThreaded() ? other : t;
                Toolchain ft = v.freeThreaded() ? t : other;
                binary.delta(new AbiDelta(gil, ft).cacheRoot(cache).progress(progress).call());
                if (v.freeThreaded()) {
                    check.baseline(v, other);
                }
            }
            check.variant(t, binary);
        }
        return check;
    }
}
