package dev.ftmatrix.service;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works a {@link CheckJob}: fetches the source and, unless a result of the job's key (project, fingerprint, variant,
 * toolchain, stages) is stored already, checks the variant and stores the result. A job retried after its worker
 * died ({@code kill -9}) so redoes only what was not stored.
 */
public final class CheckJobHandler implements JobRequestHandler<CheckJob> {
    private static final Logger LOG = LoggerFactory.getLogger(CheckJobHandler.class);
    private final Function<Path, Pipeline> pipelines;
    private final ToolchainResolver toolchains;
    private final ResultStore store;
    private final Path workRoot;
    private final Progress progress;

    /** {@code pipelines} makes the pipeline of one job from its work directory. */
    CheckJobHandler(Function<Path, Pipeline> pipelines, ToolchainResolver toolchains, ResultStore store, Path workRoot,
                    Progress progress) {
        this.pipelines = pipelines;
        this.toolchains = toolchains;
        this.store = store;
        this.workRoot = workRoot;
        this.progress = progress;
    }

    @Override
    @Job(name = "check %0", retries = 3)
    public void run(CheckJob job) {
        Variant v = Variant.parse(job.variant());
        Toolchain tc = toolchains.resolve(v);
        String toolchain = tc == null ? "" : tc.label();
        // each job its own work directory: jobs of one project run at once on other variants, other workers too
        Path work = workRoot.resolve("job-" + jobContext().getJobId());
        try {
            CheckResult r;
            try {
                r = pipelines.apply(work).check(job.spec(), fingerprint
                        -> store.has(job.project(), fingerprint, job.variant(), toolchain, Pipeline.STAGES));
            } catch (UserInputException e) {
                progress.report(job.project() + ": " + e.getMessage());
                r = MatrixRunner.fetchFailed(job.spec(), e);
            }
            if (r == null) {
                progress.report(job.project() + " [" + v + "]: a result of this source, toolchain and stages is"
                        + " stored already; nothing to do");
                return;
            }
            store.put(r);
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // the result is stored (or the job fails on its own account): a leftover directory is only disk space
            LOG.warn("cannot remove the job's work directory {}", dir, e);
        }
    }
}
