package dev.ftmatrix.wheels;

import dev.ftmatrix.core.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first release (oldest first) of a project whose wheel for a variant is {@code wheel-ready}: bisection over the
 * releases that have such a wheel, at most {@code budget} of them checked. Bisection assumes that once a release's
 * wheel keeps the GIL off, later ones do; the note says how far the search went.
 */
final class FirstReadySearch {
    private final WheelCheck wheels;
    private final Variant variant;
    private final int budget;
    private final Map<String, WheelVerdict> known = new LinkedHashMap<>();
    private int used;

    FirstReadySearch(WheelCheck wheels, Variant variant, int budget) {
        this.wheels = wheels;
        this.variant = variant;
        this.budget = budget;
    }

    DependencyResult.FirstReady find(String name, String pinned, WheelResult atPin) {
        if (atPin.verdict() == WheelVerdict.ERROR) {
            return new DependencyResult.FirstReady("", false, "not searched: the pinned release could not be checked", List.of());
        }
        if (atPin.verdict() == WheelVerdict.WHEEL_READY && atPin.modules().isEmpty()) {
            return new DependencyResult.FirstReady("", false, "no extension module: any release", List.of());
        }
        List<String> vs = wheels.releasesWithWheel(name, variant);
        if (vs.isEmpty()) {
            return new DependencyResult.FirstReady("", false, "no release has a wheel for " + variant, List.of());
        }
        int at = vs.indexOf(pinned);
        if (at >= 0) {
            known.put(pinned, atPin.verdict());
        }
        int lo = at >= 0 && atPin.verdict() != WheelVerdict.WHEEL_READY ? at + 1 : 0;
        int hi = at >= 0 && atPin.verdict() == WheelVerdict.WHEEL_READY ? at : vs.size() - 1;
        if (lo > hi) {
            return result("", "no release after " + pinned + " has a wheel for " + variant);
        }
        Boolean top = ready(name, vs.get(hi));
        if (top == null) {
            return result("", budgetOrError(vs.get(hi)));
        }
        if (!top) {
            return result("", "none yet: the latest release with a " + variant + " wheel, " + vs.get(hi) + ", is "
                    + known.get(vs.get(hi)));
        }
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            Boolean r = ready(name, vs.get(mid));
            if (r == null) {
                return inexact(vs.get(hi), "at or before " + vs.get(hi) + ", after " + (lo == 0 ? "its first " + variant
                        + " wheel" : vs.get(lo - 1)) + " (" + budgetOrError(vs.get(mid)) + ")");
            }
            if (r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        String before = hi > 0 ? "; " + vs.get(hi - 1) + " is " + known.getOrDefault(vs.get(hi - 1), null) : "";
        return result(vs.get(hi), hi == 0 ? "its first release with a " + variant + " wheel"
                : "bisected over " + vs.size() + " releases with a " + variant + " wheel" + (known.containsKey(vs.get(hi - 1))
                ? before : ""));
    }

    /** Whether {@code version}'s wheel is ready; null when out of budget or it could not be checked. */
    private Boolean ready(String name, String version) {
        WheelVerdict v = known.get(version);
        if (v == null) {
            if (used >= budget) {
                return null;
            }
            used++;
            v = wheels.call(new Release(name, version)).variants().get(variant.id()).verdict();
            known.put(version, v);
        }
        return v == WheelVerdict.ERROR ? null : v == WheelVerdict.WHEEL_READY;
    }

    private String budgetOrError(String version) {
        return known.get(version) == WheelVerdict.ERROR ? version + " could not be checked"
                : "the budget of " + budget + " releases is spent";
    }

    private DependencyResult.FirstReady result(String version, String note) {
        return new DependencyResult.FirstReady(version, !version.isEmpty(), note, probed());
    }

    private DependencyResult.FirstReady inexact(String version, String note) {
        return new DependencyResult.FirstReady(version, false, note, probed());
    }

    private List<String> probed() {
        List<String> out = new ArrayList<>();
        known.forEach((v, verdict) -> out.add(v + " " + verdict));
        return out;
    }
}
