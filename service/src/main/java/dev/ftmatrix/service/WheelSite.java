package dev.ftmatrix.service;

import dev.ftmatrix.dashboard.PublishedWheels;
import dev.ftmatrix.dashboard.WheelsPage;
import dev.ftmatrix.builder.ModuleImport;
import dev.ftmatrix.wheels.ReleaseVersion;
import dev.ftmatrix.wheels.WheelResult;
import dev.ftmatrix.wheels.WheelVerdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stored published-wheel checks as the dashboard's {@link PublishedWheels}: per project and variant the newest
 * check of the newest release (PEP 440 order) and the oldest release found {@code wheel-ready}; rendered by
 * {@link WheelsPage} beside the build matrix.
 */
final class WheelSite {
    private WheelSite() {
    }

    /** The published-wheel checks stored at {@code at}, per project (only {@code only}'s projects; all when null). */
    static List<PublishedWheels> read(StoreLocation at, Set<String> only) {
        try (WheelStore store = WheelStore.readOnly(at)) {
            List<PublishedWheels> out = new ArrayList<>();
            Set<String> wanted = only == null ? null : new TreeSet<>(only.stream().map(WheelSite::normalize).toList());
            store.all().forEach((project, rows) -> {
                if (wanted == null || wanted.contains(normalize(project))) {
                    out.add(of(project, rows));
                }
            });
            return out;
        }
    }

    /** Renders {@code projects} (when there are any) to {@code site}; returns how many it shows. */
    static int render(String title, List<PublishedWheels> projects, Path site) {
        return projects.isEmpty() ? 0 : new WheelsPage().render(title, projects, site);
    }

    /** One project's stored checks ({@code rows} oldest first) as the dashboard shows them. */
    static PublishedWheels of(String project, List<WheelStore.Row> rows) {
        Map<String, WheelStore.Row> latest = new TreeMap<>();
        Map<String, Map<String, WheelStore.Row>> newestPerRelease = new TreeMap<>();
        for (WheelStore.Row r : rows) {
            WheelStore.Row top = latest.get(r.variant());
            if (top == null || new ReleaseVersion(r.version()).compareTo(new ReleaseVersion(top.version())) >= 0) {
                latest.put(r.variant(), r);   // rows come oldest first: a later check of the same release wins
            }
            newestPerRelease.computeIfAbsent(r.variant(), v -> new LinkedHashMap<>()).put(r.version(), r);
        }
        Map<String, PublishedWheels.FirstReady> first = new TreeMap<>();
        newestPerRelease.forEach((variant, byRelease) -> {
            // the oldest release whose newest check is ready; when it was first found ready (oldest such row)
            byRelease.values().stream().filter(r -> r.result().verdict() == WheelVerdict.WHEEL_READY)
                    .min(Comparator.comparing(r -> new ReleaseVersion(r.version())))
                    .ifPresent(r -> {
                        String since = rows.stream().filter(x -> x.variant().equals(variant)
                                && x.version().equals(r.version()) && x.result().verdict() == WheelVerdict.WHEEL_READY)
                                .findFirst().orElse(r).checkedAt();
                        first.put(variant, new PublishedWheels.FirstReady(r.version(), since, byRelease.size()));
                    });
        });
        Map<String, PublishedWheels.Check> latestChecks = new TreeMap<>();
        latest.forEach((v, r) -> latestChecks.put(v, check(r)));
        List<PublishedWheels.Check> history = new ArrayList<>(rows.stream().map(WheelSite::check).toList());
        Collections.reverse(history);
        return new PublishedWheels(project, latestChecks, first, history);
    }

    private static PublishedWheels.Check check(WheelStore.Row r) {
        WheelResult w = r.result();
        List<String> failing = w.modules().stream().filter(m -> !m.imported())
                .map(ModuleImport::module).filter(m -> !w.failsOnGilBuildToo().contains(m)).toList();
        return new PublishedWheels.Check(r.version(), r.variant(), w.verdict().word(), w.reason(),
                w.wheel() == null ? "" : w.wheel().filename(), w.gilReenabledBy(), failing, w.modules().size(),
                r.checkedAt());
    }

    /** PEP 503: a matrix may write a project as PyPI does not. */
    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }
}
