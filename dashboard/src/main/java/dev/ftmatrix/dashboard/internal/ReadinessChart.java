package dev.ftmatrix.dashboard.internal;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Verdict;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Readiness over time, drawn server-side as SVG: for each variant, the share of projects whose latest result at that
 * moment was {@code ready}. Lines differ in dash pattern as well as colour, and the legend states the figures.
 */
public final class ReadinessChart {
    /** One moment: the percentage ready per variant (absent when no project had run that variant yet). */
    public record Point(Instant at, Map<String, Double> percentReady) {
    }

    private static final int MAX_POINTS = 240;
    private static final String[] COLOURS = {"#1f5fbf", "#b42318", "#1a7f37", "#7a3fb8", "#8a5a00", "#333333"};
    private static final String[] DASHES = {"", "6 3", "2 3", "10 3 2 3", "1 2", "12 4"};
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ReadinessChart() {
    }

    /** Sweeps every stored result in time order, keeping each project's latest verdict per variant. */
    public static List<Point> points(Timeline timeline, List<String> variants) {
        List<CheckResult> results = new ArrayList<>();
        timeline.all().values().forEach(results::addAll);
        List<Timeline.Stamped> all = Timeline.inTimeOrder(results);
        Map<String, Map<String, Verdict>> state = new HashMap<>();
        Map<String, int[]> counts = new HashMap<>();   // variant -> {projects with a result, of them ready}
        variants.forEach(v -> counts.put(v, new int[2]));
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            CheckResult r = all.get(i).result();
            Map<String, Verdict> before = state.computeIfAbsent(r.project(), p -> new HashMap<>());
            r.variants().forEach((v, vr) -> {
                int[] c = counts.get(v);
                if (c == null) {
                    return;
                }
                Verdict old = before.put(v, vr.verdict());
                if (old == null) {
                    c[0]++;
                }
                c[1] += (vr.verdict() == Verdict.READY ? 1 : 0) - (old == Verdict.READY ? 1 : 0);
            });
            Instant at = all.get(i).at();
            boolean lastOfMoment = i + 1 == all.size() || !all.get(i + 1).at().equals(at);
            if (lastOfMoment) {
                Map<String, Double> pct = new LinkedHashMap<>();
                counts.forEach((v, c) -> {
                    if (c[0] > 0) {
                        pct.put(v, 100.0 * c[1] / c[0]);
                    }
                });
                out.add(new Point(at, pct));
            }
        }
        return thin(out);
    }

    private static List<Point> thin(List<Point> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        List<Point> out = new ArrayList<>();
        double step = (points.size() - 1) / (double) (MAX_POINTS - 1);
        for (int i = 0; i < MAX_POINTS; i++) {
            out.add(points.get((int) Math.round(i * step)));
        }
        return out;
    }

    /** The chart as a standalone SVG document. */
    public static String svg(List<Point> points, List<String> variants) {
        int w = 720, h = 260, left = 52, right = 170, top = 20, bottom = 40;
        int pw = w - left - right, ph = h - top - bottom;
        StringBuilder s = new StringBuilder();
        String latest = describe(points, variants);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" role=\"img\" aria-labelledby=\"t d\" font-family=\"system-ui,sans-serif\" font-size=\"12\">")
                .append("<title id=\"t\">Readiness over time: share of projects whose verdict is ready</title>")
                .append("<desc id=\"d\">").append(Xml.esc(latest)).append("</desc>")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        for (int p = 0; p <= 100; p += 25) {
            double y = top + ph - ph * p / 100.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#222\">%d%%</text>",
                    left, left + pw, y, y, left - 6, y + 4, p));
        }
        if (points.isEmpty()) {
            s.append("<text x=\"").append(left + pw / 2).append("\" y=\"").append(top + ph / 2)
                    .append("\" text-anchor=\"middle\" fill=\"#222\">no results yet</text></svg>\n");
            return s.toString();
        }
        long t0 = points.getFirst().at().getEpochSecond(), t1 = points.getLast().at().getEpochSecond();
        s.append("<text x=\"").append(left).append("\" y=\"").append(h - 12).append("\" fill=\"#222\">")
                .append(DAY.format(points.getFirst().at())).append(" UTC</text>");
        if (t1 > t0) {
            s.append("<text x=\"").append(left + pw).append("\" y=\"").append(h - 12)
                    .append("\" text-anchor=\"end\" fill=\"#222\">").append(DAY.format(points.getLast().at()))
                    .append(" UTC</text>");
        }
        for (int i = 0; i < variants.size(); i++) {
            String v = variants.get(i);
            String colour = COLOURS[i % COLOURS.length], dash = DASHES[i % DASHES.length];
            StringBuilder line = new StringBuilder();
            Double last = null;
            for (Point p : points) {
                Double pct = p.percentReady().get(v);
                if (pct == null) {
                    continue;
                }
                double x = t1 == t0 ? left + pw / 2.0 : left + pw * (p.at().getEpochSecond() - t0) / (double) (t1 - t0);
                double y = top + ph - ph * pct / 100.0;
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                last = pct;
            }
            if (!line.isEmpty()) {
                s.append("<polyline fill=\"none\" stroke-width=\"2.5\" stroke=\"").append(colour).append('"')
                        .append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"")
                        .append(" points=\"").append(line.toString().trim()).append("\"/>");
                if (points.size() < 40) {
                    for (String xy : line.toString().trim().split(" ")) {
                        String[] c = xy.split(",");
                        s.append("<circle r=\"3\" fill=\"").append(colour).append("\" cx=\"").append(c[0])
                                .append("\" cy=\"").append(c[1]).append("\"/>");
                    }
                }
            }
            int ly = top + 14 + i * 20;
            s.append("<line x1=\"").append(left + pw + 14).append("\" x2=\"").append(left + pw + 44).append("\" y1=\"")
                    .append(ly - 4).append("\" y2=\"").append(ly - 4).append("\" stroke-width=\"2.5\" stroke=\"")
                    .append(colour).append('"').append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"")
                    .append("/><text x=\"").append(left + pw + 50).append("\" y=\"").append(ly).append("\" fill=\"#222\">")
                    .append(Xml.esc(v)).append(' ').append(last == null ? "no results" : pct(last) + " ready")
                    .append("</text>");
        }
        return s.append("</svg>\n").toString();
    }

    /** A sentence with the latest figures, for the chart's description and the image's alt text. */
    public static String describe(List<Point> points, List<String> variants) {
        if (points.isEmpty()) {
            return "No results yet.";
        }
        Point last = points.getLast();
        List<String> parts = new ArrayList<>();
        for (String v : variants) {
            Double p = last.percentReady().get(v);
            if (p != null) {
                parts.add(v + " " + pct(p));
            }
        }
        return "Share of projects ready, latest: " + String.join(", ", parts) + " (" + points.size() + " moments from "
                + DAY.format(points.getFirst().at()) + " to " + DAY.format(last.at()) + " UTC).";
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%.0f%%", p);
    }
}
