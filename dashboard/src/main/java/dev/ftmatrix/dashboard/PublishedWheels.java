package dev.ftmatrix.dashboard;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One project's published wheels as the store holds them, for the site's published-wheels view, its API and badges.
 *
 * @param latest per variant, the newest check of the newest release checked on it
 * @param firstReady per variant, the oldest release whose checked wheel keeps the GIL off (absent when none checked)
 * @param history every stored check, newest first
 */
public record PublishedWheels(String project, Map<String, Check> latest, Map<String, FirstReady> firstReady,
                              List<Check> history) {
    public PublishedWheels {
        latest = Collections.unmodifiableMap(new TreeMap<>(latest));
        firstReady = Collections.unmodifiableMap(new TreeMap<>(firstReady));
        history = List.copyOf(history);
    }

    /**
     * One release's wheel on one variant as checked at {@code checkedAt}.
     *
     * @param verdict the wheel verdict word ({@code wheel-ready}, {@code wheel-reenables-gil}, ...)
     * @param wheel the wheel file an install picks, "" for none
     * @param gilReenabledBy the wheel's own modules whose import turns the GIL back on, every one
     * @param notImporting the wheel's modules that did not import (counted against it)
     * @param modules how many extension modules the wheel has
     */
    public record Check(String version, String variant, String verdict, String reason, String wheel,
                        List<String> gilReenabledBy, List<String> notImporting, int modules, String checkedAt) {
        public Check {
            gilReenabledBy = List.copyOf(gilReenabledBy);
            notImporting = List.copyOf(notImporting);
        }
    }

    /**
     * The first release found ready on a variant.
     *
     * @param checkedAt when it was first found ready: from then on, the project had a ready wheel on the index
     * @param releasesChecked how many releases of the project were checked on the variant (the answer is exact only
     *     as far as those go)
     */
    public record FirstReady(String version, String checkedAt, int releasesChecked) {
    }
}
