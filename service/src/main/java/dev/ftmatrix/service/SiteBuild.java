package dev.ftmatrix.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.dashboard.SiteRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.LoggerFactory;

/**
 * Renders the store to a site one project at a time (memory bounded by one project's results, not by the store),
 * and again only the pages of projects with a new result since the last render into the same directory; the index,
 * chart, feeds and matrix API are written each time from the verdicts kept in {@code DIR/.ftm/rendered.json}
 * (a render from another store, under another title or with other columns renders every page).
 */
final class SiteBuild {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String MANIFEST = ".ftm/rendered.json";

    /** What the last render wrote: under which title and columns, and each project's newest result id and verdicts. */
    record Manifest(int schema, String store, String title, List<String> variants, boolean abi, Map<String, Entry> projects) {
        /**
         * A project's newest result id and slim results, oldest first; {@code latest} (their merge) only in schema 1
         * manifests: schema 2 merges them again when read, which costs less than reading a second copy.
         */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Entry(long lastId, CheckResult latest, List<CheckResult> history) {
            CheckResult merged() {
                if (latest != null) {
                    return latest;
                }
                List<CheckResult> newestFirst = new ArrayList<>(history);
                Collections.reverse(newestFirst);
                return ResultStore.merge(newestFirst);
            }
        }
    }

    /** How a render went: projects shown, and how many of their pages were written anew. */
    record Outcome(int projects, int rendered) {
    }

    private SiteBuild() {
    }

    /**
     * Renders the results of {@code only} (all projects when null) and the stored header deltas of the free-threaded
     * variants among the site's columns.
     */
    static Outcome render(ResultStore store, String title, Set<String> only, Path site) {
        return render(store, title, only, site, false);
    }

    /** As above; {@code wheels}: the index links to the published-wheels view ({@link WheelSite}). */
    static Outcome render(ResultStore store, String title, Set<String> only, Path site, boolean wheels) {
        Map<String, Long> ids = new TreeMap<>(store.lastIds());
        ids.keySet().removeIf(p -> only != null && !only.contains(p));
        List<String> variants = store.variants(ids.keySet()).stream().map(Variant::parse).sorted().map(Variant::id)
                .toList();
        List<HeaderDelta> abi = store.headerDeltas().latest().entrySet().stream()
                .filter(e -> variants.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        Manifest old = read(site);
        boolean sameFrame = old != null && old.store().equals(store.location().describe()) && old.title().equals(title) && old.variants().equals(variants)
                && old.abi() == !abi.isEmpty();
        SiteRenderer.Session session = new SiteRenderer().headerDeltas(abi).publishedWheels(wheels)
                .session(title, variants, site);
        Map<String, Manifest.Entry> now = new TreeMap<>();
        int rendered = 0;
        for (Map.Entry<String, Long> p : ids.entrySet()) {
            Manifest.Entry before = sameFrame ? old.projects().get(p.getKey()) : null;
            if (before != null && before.lastId() == p.getValue()) {
                session.unchanged(before.merged(), before.history());
                // a schema 1 entry loses its second copy the next time the manifest is written
                now.put(p.getKey(), before.latest() == null ? before
                        : new Manifest.Entry(before.lastId(), null, before.history()));
                continue;
            }
            List<CheckResult> history = store.history(p.getKey());
            if (history.isEmpty()) {
                continue;   // none of its results parses in this version: nothing to show
            }
            List<CheckResult> newestFirst = new ArrayList<>(history);
            Collections.reverse(newestFirst);
            CheckResult latest = ResultStore.merge(newestFirst);
            session.project(latest, history);
            rendered++;
            now.put(p.getKey(), new Manifest.Entry(p.getValue(), null,
                    history.stream().map(SiteRenderer::slim).toList()));
        }
        Manifest manifest = new Manifest(2, store.location().describe(), title, variants, !abi.isEmpty(), now);
        boolean same = sameFrame && rendered == 0 && old.projects().keySet().equals(now.keySet());
        // the manifest (tens of MB at 10,000 projects) is written while the index, chart and feeds are
        FutureTask<Void> saving = new FutureTask<>(() -> {
            if (!same) {
                write(site, manifest);
            }
            return null;
        });
        Thread.ofPlatform().name("ftm-site-manifest").start(saving);
        int shown;
        try {
            shown = session.finish();
        } finally {
            saved(saving);
        }
        return new Outcome(shown, rendered);
    }

    private static void saved(FutureTask<Void> saving) {
        try {
            saving.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the site's manifest", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static Manifest read(Path site) {
        Path f = site.resolve(MANIFEST);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Manifest m = JSON.readValue(f.toFile(), new TypeReference<Manifest>() { });
            return m.schema() == 1 || m.schema() == 2 ? m : null;
        } catch (IOException e) {
            // an unreadable manifest costs a full render, nothing else
            LoggerFactory.getLogger(SiteBuild.class).warn("ignoring {}: a full render follows", f, e);
            return null;
        }
    }

    private static void write(Path site, Manifest m) {
        Path f = site.resolve(MANIFEST);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling("rendered.json.tmp");
            JSON.writeValue(tmp.toFile(), m);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }
}
