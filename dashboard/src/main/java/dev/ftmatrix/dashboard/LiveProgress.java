package dev.ftmatrix.dashboard;

import dev.ftmatrix.core.Progress;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The progress of a running matrix as {@code ftm serve} shows it: the last lines and how many projects are done. */
public final class LiveProgress implements Progress {
    /** Lines kept for the live page. */
    public static final int LINES = 200;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private String matrix = "";
    private boolean running;
    private int done;
    private int total;

    @Override
    public synchronized void report(String line) {
        if (lines.size() == LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Its line, and the projects before it are done. */
    @Override
    public synchronized void projectStarted(int index, int total, String project) {
        Progress.super.projectStarted(index, total, project);
        done(index - 1);
    }

    /** A run of {@code total} projects of {@code matrix} started. */
    public synchronized void started(String matrix, int total) {
        this.matrix = matrix;
        this.total = total;
        this.done = 0;
        this.running = true;
    }

    /** How many of the run's projects are done. */
    public synchronized void done(int projects) {
        done = projects;
    }

    public synchronized void stopped() {
        running = false;
    }

    /** The {@code live/progress.json} document. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", running);
        m.put("matrix", matrix);
        m.put("done", done);
        m.put("total", total);
        m.put("lines", List.copyOf(lines));
        return m;
    }
}
