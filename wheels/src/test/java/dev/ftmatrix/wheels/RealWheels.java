package dev.ftmatrix.wheels;

import dev.ftmatrix.abi.AbiDelta;
import dev.ftmatrix.abi.BinaryCheck;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;

/** The real cp313/cp313t toolchains (built once, then cached) and a wheel check of cp313t with the header delta. */
final class RealWheels {
    private static WheelCheck check;

    private RealWheels() {
    }

    static synchronized Toolchain toolchain(String variant) {
        return new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse(variant), "debian");
    }

    /** One check shared by the tests of a run (its tag order and delta are computed once). */
    static synchronized WheelCheck cp313t() {
        if (check == null) {
            Path cache = Toolchains.defaultCacheRoot();
            Toolchain ft = toolchain("cp313t");
            Toolchain gil = toolchain("cp313");
            check = new WheelCheck(cache, cache.resolve("work/wheels-tests"))
                    .variant(ft, new BinaryCheck(ft).delta(new AbiDelta(gil, ft).cacheRoot(cache).call()))
                    .baseline(ft.variant(), gil);
        }
        return check;
    }
}
