package dev.ftmatrix.service;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.UserInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code ftm run MATRIX --store URL [--workers N]}: one job per (project, variant) in the store's queue, worked here by
 * N workers (then the site is rendered as {@code ftm run} renders it) or, with none, left for {@code ftm worker}.
 */
final class QueuedRun {
    private final MatrixRun run;
    private final StoreLocation at;
    private final int workers;

    QueuedRun(MatrixRun run, StoreLocation at, int workers) {
        this.run = run;
        this.at = at;
        this.workers = workers;
    }

    Integer call(MatrixFile m, UnaryOperator<ProjectSpec> resolveSource) throws InterruptedException {
        if (run.force()) {
            throw new UserInputException("--force works without a queue only: drop --store and --workers (a job"
                    + " redoes a check only when the source, toolchain or stage version changed)");
        }
        Progress progress = new ConsoleProgress(System.err);
        List<CheckJob> jobs = new ArrayList<>();
        for (ProjectSpec raw : m.projects()) {
            ProjectSpec spec = resolveSource.apply(raw);
            jobs.addAll(CheckJob.of(spec));
        }
        try (ResultStore store = ResultStore.open(at, false); JobEngine engine = JobEngine.open(at)) {
            long t = System.nanoTime();
            engine.enqueue(jobs);
            progress.report("enqueued " + jobs.size() + " job(s) of " + m.projects().size() + " project(s) in "
                    + at.describe() + " in " + (System.nanoTime() - t) / 1_000_000 + " ms");
            if (workers == 0) {
                System.out.println("enqueued " + jobs.size() + " job(s); work them with: ftm worker --store "
                        + at.describe());
                return Ftm.OK;
            }
            engine.work(WorkerCommand.handler(store, run.out(), run.toolchains(), run.tests(), progress), workers,
                    JobEngine.DEFAULT_POLL);
            engine.awaitIdle(Duration.ofSeconds(1));
            List<CheckResult> results = new ArrayList<>();
            m.projects().forEach(p -> store.latest(p.name()).ifPresent(results::add));
            return run.finish(m, store, results, progress);
        }
    }
}
