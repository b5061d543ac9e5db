package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster, for real: PostgreSQL from scripts/postgres-up.sh, the demo matrix enqueued with
 * {@code --workers 0}, two {@code ftm worker} processes; one is killed with SIGKILL while it builds, and the other
 * works every job, the dead worker's too (JobRunr finds it dead after 4 polls of 5 s and retries its job).
 */
@Tag("slow")
class ClusterTest {
    private static final Path ROOT = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Process ftm(String name, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dftm.root=" + ROOT, "-cp", System.getProperty("java.class.path"), Ftm.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile()).start();
    }

    private String finished(Process p, String name, Duration within) throws Exception {
        assertTrue(p.waitFor(within.toSeconds(), TimeUnit.SECONDS), name + " still running after " + within + ": "
                + Files.readString(tmp.resolve(name + ".err")));
        String out = Files.readString(tmp.resolve(name + ".out"));
        assertEquals(0, p.exitValue(), name + ": " + out + Files.readString(tmp.resolve(name + ".err")));
        return out;
    }

    @Test
    void aWorkerKilledMidBuildLosesNothingAndTheOtherFinishesEveryJob() throws Exception {
        String url = PostgresServer.freshDatabase();
        String out = tmp.resolve("build").toString();
        finished(ftm("run", "run", "matrices/demo.yaml", "--store", url, "--workers", "0", "--out", out), "run",
                Duration.ofMinutes(2));
        String[] worker = {"worker", "--store", url, "--until-idle", "--poll", "5", "--test-deadline", "30", "--out", out};
        Process doomed = ftm("doomed", worker);
        // the survivor works two jobs at once (the machine's two cores): 24 real checks take it a quarter of an hour
        String[] two = java.util.stream.Stream.concat(java.util.Arrays.stream(worker), Stream.of("--workers", "2"))
                .toArray(String[]::new);
        Process survivor = ftm("survivor", two);
        try {
            killMidBuildAndFinish(url, doomed, survivor);
        } finally {
            // a failed test leaves no worker behind, working in a temporary directory JUnit removes
            doomed.destroyForcibly();
            survivor.destroyForcibly();
        }
    }

    private void killMidBuildAndFinish(String url, Process doomed, Process survivor) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!Files.readString(tmp.resolve("doomed.err")).contains("venv, resolve and build")) {
            assertTrue(doomed.isAlive() && Instant.now().isBefore(deadline),
                    "the worker to kill never built: " + Files.readString(tmp.resolve("doomed.err")));
            Thread.sleep(200);
        }
        Thread.sleep(1000);   // inside its build
        new ProcessBuilder("kill", "-9", Long.toString(doomed.pid())).start().waitFor();
        assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, doomed.exitValue());

        finished(survivor, "survivor", Duration.ofMinutes(30));
        JsonNode status = new ObjectMapper().readTree(finished(ftm("status", "status", "--store", url, "--json"),
                "status", Duration.ofMinutes(1)));
        JsonNode jobs = status.get("jobs");
        assertEquals(0, jobs.get("enqueued").asLong(), status.toString());
        assertEquals(0, jobs.get("processing").asLong(), status.toString());
        assertEquals(0, jobs.get("failed").asLong(), status.toString());
        assertEquals(6 * 4, jobs.get("succeeded").asLong(), "every (project, variant) job: " + status);
        assertEquals(6, status.get("projects").asLong(), status.toString());
        // JobRunr's word for the dead worker's job, in that job's history: failed as orphaned, then retried and done
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'"
                     + " AND jobAsJson LIKE '%Orphaned job%'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the killed worker's job, retried by the survivor");
        }

        Path site = tmp.resolve("site");
        String rendered = finished(ftm("site", "site", "--store", url, "--out", site.toString()), "site",
                Duration.ofMinutes(1));
        assertTrue(rendered.contains("(6 projects)"), rendered);
        try (Stream<Path> pages = Files.list(site.resolve("projects"))) {
            assertEquals(6, pages.filter(p -> p.toString().endsWith(".html")).count());
        }
        for (String p : List.of("ft-ready", "ft-undeclared", "ft-racy", "ft-crash", "ft-hang", "cython-pinned")) {
            String page = Files.readString(site.resolve("projects/" + p + ".html"));
            assertTrue(page.contains("cp313t"), p + " shows its free-threaded verdict");
        }
    }
}
