package dev.ftmatrix.dashboard.internal;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.core.VariantResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The history of every project read as events: when a variant became ready or regressed, and when each project's
 * verdicts last changed.
 */
public final class Timeline {
    /** What a change means for people following the feed. */
    public enum Kind {
        NEWLY_READY("newly-ready"), REGRESSED("regressed"), CHANGED("changed");

        public final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    /** One verdict change of one (project, variant); {@code from} is null for a variant's first result. */
    public record Change(Instant at, String project, String variant, Verdict from, Verdict to, Kind kind) {
    }

    private final Map<String, List<CheckResult>> byProject = new TreeMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, Instant> changedAt = new HashMap<>();

    /** @param history every stored result per project, in any order */
    public Timeline(Map<String, List<CheckResult>> history) {
        history.forEach((p, rs) -> byProject.put(p, inTimeOrder(rs).stream().map(Stamped::result).toList()));
        byProject.forEach(this::scan);
        changes.sort(Comparator.comparing(Change::at).reversed().thenComparing(Change::project)
                .thenComparing(Change::variant));
    }

    private void scan(String project, List<CheckResult> results) {
        Map<String, Verdict> last = new HashMap<>();
        Instant changed = Instant.EPOCH;
        for (CheckResult r : results) {
            Instant at = instant(r.finishedAt());
            boolean any = last.isEmpty();
            for (Map.Entry<String, VariantResult> e : r.variants().entrySet()) {
                Verdict before = last.get(e.getKey());
                Verdict now = e.getValue().verdict();
                if (!Objects.equals(before, now)) {
                    any = true;
                    changes.add(new Change(at, project, e.getKey(), before, now, kind(before, now)));
                }
                last.put(e.getKey(), now);
            }
            if (any) {
                changed = at;
            }
        }
        changedAt.put(project, changed);
    }

    private static Kind kind(Verdict before, Verdict now) {
        if (now == Verdict.READY) {
            return Kind.NEWLY_READY;
        }
        if (Style.works(before) && Style.broken(now)) {
            return Kind.REGRESSED;
        }
        return Kind.CHANGED;
    }

    /** Newly-ready and regressed changes, newest first. */
    public List<Change> feed() {
        return changes.stream().filter(c -> c.kind() != Kind.CHANGED).toList();
    }

    /** When the project's verdicts last changed (its first result counts as a change). */
    public Instant changedAt(String project) {
        return changedAt.getOrDefault(project, Instant.EPOCH);
    }

    /** The project's results, oldest first. */
    public List<CheckResult> results(String project) {
        return byProject.getOrDefault(project, List.of());
    }

    public Map<String, List<CheckResult>> all() {
        return byProject;
    }

    private static final DateTimeFormatter HUMAN = DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** {@code 2026-11-23T15:42:53.319667694Z} as people read it: {@code 2026-11-23 15:42:53 UTC}. */
    public static String human(String iso) {
        Instant at = instant(iso);
        return at.equals(Instant.EPOCH) ? "unknown" : HUMAN.format(at);
    }

    /** A result with its {@code finishedAt} parsed. */
    public record Stamped(Instant at, CheckResult result) {
    }

    /**
     * {@code results} oldest first (in their order where stamps tie), each stamp parsed once: a comparator that
     * parsed both sides of every comparison spent most of a 40,000-result site's index in {@link Instant#parse}.
     */
    public static List<Stamped> inTimeOrder(Collection<CheckResult> results) {
        List<Stamped> out = new ArrayList<>(results.size());
        for (CheckResult r : results) {
            out.add(new Stamped(instant(r.finishedAt()), r));
        }
        out.sort(Comparator.comparing(Stamped::at));
        return out;
    }

    /** Parses a result's {@code finishedAt}; a missing or malformed stamp sorts first rather than failing the site. */
    public static Instant instant(String iso) {
        try {
            return iso == null || iso.isEmpty() ? Instant.EPOCH : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
