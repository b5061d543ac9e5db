package dev.ftmatrix.service;

import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.Variant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * One job of the job engine: one variant of one project, with its source as the matrix resolved it. What makes it
 * idempotent (the source's fingerprint, the toolchain) is known only once a worker fetches, so the worker checks the
 * store for that key before it builds ({@link CheckJobHandler}).
 */
public record CheckJob(String project, String source, String ref, String subdirectory, String variant,
                       Map<String, String> env, List<String> testCommand, List<String> threadUnsafe)
        implements JobRequest {
    public CheckJob {
        env = env == null ? Map.of() : Map.copyOf(env);
        testCommand = testCommand == null ? List.of() : List.copyOf(testCommand);
        threadUnsafe = threadUnsafe == null ? List.of() : List.copyOf(threadUnsafe);
    }

    /** The jobs of a project: one per variant. */
    static List<CheckJob> of(ProjectSpec spec) {
        return spec.variants().stream().map(v -> new CheckJob(spec.name(), spec.source(), spec.ref(),
                spec.subdirectory(), v.id(), spec.env(), spec.testCommand(), spec.threadUnsafe())).toList();
    }

    /**
     * The job's identity in the queue when its source's {@code fingerprint} is known before it runs (a release on the
     * index): the same project, source, fingerprint, variant and stage version make the same key.
     */
    UUID key(String fingerprint) {
        return UUID.nameUUIDFromBytes(String.join("\0", project, source, fingerprint, variant,
                Pipeline.STAGES).getBytes(StandardCharsets.UTF_8));
    }

    /** The project to check: this job's one variant. */
    ProjectSpec spec() {
        return new ProjectSpec(project, source, ref, subdirectory, List.of(Variant.parse(variant)), env, testCommand,
                threadUnsafe);
    }

    @Override
    public Class<CheckJobHandler> getJobRequestHandler() {
        return CheckJobHandler.class;
    }
}
