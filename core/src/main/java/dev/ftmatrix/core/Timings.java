package dev.ftmatrix.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time per phase (milliseconds), in the order the phases first ran; a phase that runs again adds up. Safe to
 * use from several threads.
 */
public final class Timings {
    /** The phases that are the project's own work: its build and its tests. The rest is ftm's overhead. */
    public static final List<String> OWN = List.of("build", "collection", "tests alone", "tests concurrently",
            "confirmation");

    private final Map<String, Long> millis = new LinkedHashMap<>();

    public synchronized void add(String phase, long ms) {
        millis.merge(phase, Math.max(0, ms), Long::sum);
    }

    /** Adds the time since {@code t0} (a {@link System#nanoTime()}) to {@code phase}; returns now, for the next. */
    public long since(String phase, long t0) {
        long now = System.nanoTime();
        add(phase, (now - t0) / 1_000_000);
        return now;
    }

    public synchronized void addAll(Map<String, Long> more) {
        more.forEach(this::add);
    }

    public synchronized Map<String, Long> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }

    /** A part of the other phases (containers started and stopped within them), never added to them. */
    public static final String SANDBOX = "sandbox";

    /** The sum of {@code timings}'s phases, less {@link #SANDBOX}, which is a part of them. */
    public static long total(Map<String, Long> timings) {
        return timings.entrySet().stream().filter(e -> !SANDBOX.equals(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** The sum of the phases in {@link #OWN}. */
    public static long own(Map<String, Long> timings) {
        return OWN.stream().mapToLong(p -> timings.getOrDefault(p, 0L)).sum();
    }
}
