package dev.ftmatrix.service;

import java.util.List;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * One job of the job engine for published wheels: one release ({@code pypi:NAME}, the latest when the job runs, or
 * {@code pypi:NAME==VERSION}) on its variants. Idempotent: a worker checks the store for each variant's key (project,
 * release, variant, toolchain, stage version) before it downloads anything ({@link WheelsJobHandler}).
 */
public record WheelsJob(String release, List<String> variants) implements JobRequest {
    public WheelsJob {
        variants = List.copyOf(variants);
    }

    @Override
    public Class<WheelsJobHandler> getJobRequestHandler() {
        return WheelsJobHandler.class;
    }
}
