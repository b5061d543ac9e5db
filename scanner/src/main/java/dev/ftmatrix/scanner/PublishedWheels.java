package dev.ftmatrix.scanner;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.scanner.internal.SimpleIndex;
import dev.ftmatrix.core.WheelFilename;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which wheels a project already has on the package index, per variant: from the Simple API's file list, with every
 * file name's compressed tag sets expanded. A {@code cp313t} wheel needs the {@code cp313t} ABI; {@code abi3} does
 * not cover free-threaded builds.
 */
public final class PublishedWheels {
    private final SimpleIndex index;

    /** The index has no project of that name: a fact about a local project, an error for a {@code pypi:} source. */
    public static final class NotOnIndex extends UserInputException {
        public NotOnIndex(String message) {
            super(message);
        }
    }

    /** The index cannot be reached (offline, refused, timed out). */
    public static final class IndexUnreachable extends UserInputException {
        public IndexUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public PublishedWheels(URI indexUrl) {
        this.index = new SimpleIndex(indexUrl, SimpleIndex.defaultClient());
    }

    /** The project's wheels for {@code variants}: in detail for {@code version} (may be null), and per version. */
    public ProjectScan.Wheels lookup(String project, String version, List<Variant> variants) {
        Map<String, WheelFilename> wheels = new LinkedHashMap<>();
        for (SimpleIndex.IndexFile f : index.files(project)) {
            WheelFilename.parse(f.filename()).ifPresent(w -> wheels.put(f.filename(), w));
        }
        Map<String, List<String>> byVersion = new LinkedHashMap<>();
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (WheelFilename w : wheels.values()) {
            Set<String> vs = seen.computeIfAbsent(w.version(), k -> new LinkedHashSet<>());
            for (Variant v : variants) {
                if (w.installsOn(v)) {
                    vs.add(v.id());
                }
            }
        }
        seen.forEach((ver, vs) -> byVersion.put(ver, variants.stream().map(Variant::id).filter(vs::contains).toList()));
        Map<String, ProjectScan.VariantWheels> detail = new LinkedHashMap<>();
        if (version != null) {
            for (Variant v : variants) {
                List<String> files = new ArrayList<>();
                Set<String> platforms = new LinkedHashSet<>();
                for (var e : wheels.entrySet()) {
                    WheelFilename w = e.getValue();
                    if (sameVersion(w.version(), version) && w.installsOn(v)) {
                        files.add(e.getKey());
                        platforms.addAll(w.platformsFor(v));
                    }
                }
                detail.put(v.id(), new ProjectScan.VariantWheels(!files.isEmpty(), List.copyOf(platforms), files));
            }
        }
        return new ProjectScan.Wheels(index.uri().toString(), version, detail, byVersion);
    }

    /** Wheel names write versions with {@code _} for {@code -} and in lower case. */
    private static boolean sameVersion(String wheelVersion, String version) {
        return wheelVersion.toLowerCase(Locale.ROOT).replace('-', '_')
                .equals(version.toLowerCase(Locale.ROOT).replace('-', '_'));
    }
}
