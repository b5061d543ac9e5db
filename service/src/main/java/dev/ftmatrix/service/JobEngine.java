package dev.ftmatrix.service;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.JobStats;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr behind three verbs: enqueue checks, work them, count them. Its jobs live in the result store's database
 * (JobRunr's own tables beside ours, made by its own migrations), so one URL points a process at both. A worker that
 * stops heart-beating for {@code poll × 4} is taken for dead, and the jobs it was processing are retried by another.
 */
final class JobEngine implements AutoCloseable {
    /** JobRunr's default poll interval; a shorter one finds a dead worker's jobs sooner. */
    static final Duration DEFAULT_POLL = Duration.ofSeconds(15);

    private final StorageProvider storage;
    private final JobRequestScheduler scheduler;
    private final JsonMapper json = new JacksonJsonMapper();
    private BackgroundJobServer server;

    private JobEngine(StorageProvider storage) {
        this.storage = storage;
        storage.setJobMapper(new JobMapper(json));
        this.scheduler = new JobRequestScheduler(storage);
    }

    /** The job queue of the store at {@code at} (its tables made or migrated when needed). */
    static JobEngine open(StoreLocation at) {
        DataSource ds = StoreSchema.dataSource(at);
        return new JobEngine(at.postgres() ? new PostgresStorageProvider(ds) : new SqLiteStorageProvider(ds));
    }

    /** Enqueues {@code jobs} (checks of builds or of published wheels), in one go. */
    void enqueue(List<? extends JobRequest> jobs) {
        scheduler.enqueue(jobs.stream());
    }

    /**
     * Enqueues each of {@code jobs} under its key ({@link CheckJob#key}) unless a job of that key is in the queue
     * already (JobRunr skips a job whose id exists): a source seen again while its jobs wait is not enqueued twice.
     */
    void enqueueOnce(List<CheckJob> jobs, String fingerprint) {
        for (CheckJob job : jobs) {
            scheduler.enqueue(job.key(fingerprint), job);
        }
    }

    /** Starts working jobs in this process with {@code workers} threads, each with {@code handler}. */
    void work(CheckJobHandler handler, int workers, Duration poll) {
        work(List.of(handler), workers, poll);
    }

    /** Starts working jobs in this process with {@code workers} threads, each job with the handler of its type. */
    void work(List<? extends JobRequestHandler<?>> handlers, int workers, Duration poll) {
        JobActivator activator = new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                return handlers.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow(()
                        -> new IllegalStateException("this worker has no handler for " + type.getSimpleName()));
            }
        };
        server = new BackgroundJobServer(storage, json, activator, BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration().andWorkerCount(workers).andPollInterval(poll)
                .andName("ftm-" + ProcessHandle.current().pid()));
        server.start();
    }

    /** Jobs by state, from the job tables. */
    JobCounts counts() {
        JobStats s = storage.getJobStats();
        return new JobCounts(s.getEnqueued() + s.getScheduled() + s.getAwaiting(), s.getProcessing(),
                s.getSucceeded() + s.getAllTimeSucceeded(), s.getFailed());
    }

    /** Waits until no job is waiting or being worked on (a dead worker's job counts until it is retried and done). */
    void awaitIdle(Duration pollEvery) throws InterruptedException {
        while (!counts().idle()) {
            Thread.sleep(pollEvery);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        storage.close();
    }

    /**
     * Jobs by state: {@code enqueued} counts those waiting to run, including a failed job's scheduled retry;
     * {@code failed} those that failed for good (after their retries).
     */
    record JobCounts(long enqueued, long processing, long succeeded, long failed) {
        boolean idle() {
            return enqueued == 0 && processing == 0;
        }
    }
}
