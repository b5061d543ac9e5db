package dev.ftmatrix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ftm status}: the store's jobs by state and its projects. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print the store's check jobs by state and how many projects have a result.",
                "enqueued counts jobs waiting to run (a failed job's scheduled retry too); failed, those that failed"
                        + " for good."})
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--store", paramLabel = "URL", description = StoreLocation.HELP + ". Default: build/results")
    String store;

    @Option(names = "--json", description = "as JSON: {\"jobs\": {\"enqueued\": N, \"processing\": N, \"succeeded\": N,"
            + " \"failed\": N}, \"projects\": N}")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StoreLocation at = StoreLocation.parse(store, Path.of("build/results"));
        long projects;
        JobEngine.JobCounts c;
        try (ResultStore results = ResultStore.open(at, true); JobEngine engine = JobEngine.open(at)) {
            projects = results.projects().size();
            c = engine.counts();
        }
        if (json) {
            Map<String, Object> jobs = new LinkedHashMap<>();
            jobs.put("enqueued", c.enqueued());
            jobs.put("processing", c.processing());
            jobs.put("succeeded", c.succeeded());
            jobs.put("failed", c.failed());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("jobs", jobs);
            out.put("projects", projects);
            System.out.println(JSON.writeValueAsString(out));
        } else {
            System.out.println("store " + at.describe() + ": " + projects + " project(s) with a result");
            System.out.println("jobs: " + c.enqueued() + " enqueued, " + c.processing() + " processing, "
                    + c.succeeded() + " succeeded, " + c.failed() + " failed");
        }
        return Ftm.OK;
    }
}
