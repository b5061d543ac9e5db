package dev.ftmatrix.service;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.wheels.Release;
import dev.ftmatrix.wheels.WheelCheck;
import dev.ftmatrix.wheels.WheelReport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Works a {@link WheelsJob}: resolves the release, and unless every variant of it is stored already for this
 * toolchain and stage version, checks its published wheels and stores the result ({@link WheelStore}). A release the
 * index does not have is the matrix's mistake: reported, nothing stored, the job done (a retry would not help).
 */
public final class WheelsJobHandler implements JobRequestHandler<WheelsJob> {
    private final WheelStore store;
    private final ToolchainChoice toolchains;
    private final Progress progress;
    private final Map<List<Variant>, WheelCheck> checks = new ConcurrentHashMap<>();

    WheelsJobHandler(WheelStore store, ToolchainChoice toolchains, Progress progress) {
        this.store = store;
        this.toolchains = toolchains;
        this.progress = progress;
    }

    @Override
    @Job(name = "wheels %0", retries = 3)
    public void run(WheelsJob job) {
        List<Variant> variants = job.variants().stream().map(Variant::parse).sorted().toList();
        WheelCheck check = checks.computeIfAbsent(variants, vs -> WheelChecks.of(vs, toolchains, progress));
        Release release = Release.parse(job.release());
        try {
            Release exact = check.resolve(release);
            if (variants.stream().allMatch(v -> store.has(exact.name(), exact.version(), v.id(), check.toolchain(v.id())))) {
                progress.report(exact + ": its wheels are checked and stored already; nothing to do");
                return;
            }
            WheelReport r = check.call(exact);
            store.put(r, check::toolchain);
        } catch (UserInputException e) {
            progress.report(job.release() + ": " + e.getMessage() + " (nothing stored)");
        }
    }
}
