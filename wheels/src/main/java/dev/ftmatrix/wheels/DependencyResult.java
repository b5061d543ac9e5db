package dev.ftmatrix.wheels;

import java.util.List;

/**
 * One resolved dependency on one variant.
 *
 * @param line where the checked file states it (0: a dependency of a dependency)
 * @param wheel the check of its pinned release's wheel; null when it could not be resolved at all
 * @param firstReady the first release (oldest first) whose wheel keeps the GIL off, as far as probing found
 */
public record DependencyResult(String name, String version, int line, boolean direct, WheelVerdict verdict,
                               String reason, List<String> gilReenabledBy, WheelResult wheel, FirstReady firstReady) {
    public DependencyResult {
        gilReenabledBy = List.copyOf(gilReenabledBy);
    }

    /**
     * @param version empty when not found
     * @param exact false when the search stopped early: then {@code version} is ready and the first is at or before it
     * @param note how it was found: probed releases, or why the search stopped
     * @param probed the releases checked for it, in the order checked, each with its verdict
     */
    public record FirstReady(String version, boolean exact, String note, List<String> probed) {
        public FirstReady {
            probed = List.copyOf(probed);
        }
    }
}
