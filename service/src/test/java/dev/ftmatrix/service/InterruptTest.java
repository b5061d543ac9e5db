package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C in the middle of {@code ftm check}: exit 130, where it was, and no verdict for what it broke. */
@Tag("slow")
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void ctrlCDuringTheBuildPrintsNoVerdict() throws Exception {
        Path fixture = Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures/ft-ready").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a shell's background job (CI started with `cmd &`) inherits SIGINT ignored, and a JVM keeps it so:
        // env --default-signal gives the child the default disposition a terminal's Ctrl-C meets
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", java, "-cp", System.getProperty("java.class.path"), Ftm.class.getName(),
                "check", fixture.toString(), "--variants", "cp313t", "--no-install", "--work", tmp.resolve("w").toString())
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().put("FTM_SANDBOX", "none");
        Process ftm = pb.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (ftm.isAlive() && Instant.now().isBefore(deadline)
                && !Files.readString(tmp.resolve("err")).contains("venv, resolve and build")) {
            Thread.sleep(100);
        }
        assumeTrue(ftm.isAlive(), "ftm ended before its build (no cp313t toolchain?): " + Files.readString(tmp.resolve("err")));
        Thread.sleep(1500);   // inside the venv step
        new ProcessBuilder("kill", "-INT", Long.toString(ftm.pid())).start().waitFor();
        assertTrue(ftm.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(tmp.resolve("out"));
        String err = Files.readString(tmp.resolve("err"));
        assertEquals(130, ftm.exitValue(), err);
        assertEquals("", out, "no verdict line for a check that was interrupted");
        List<String> last = err.strip().lines().toList();
        assertTrue(last.getLast().matches("ftm: interrupted during '.*'; nothing stored for it"), err);
        assertFalse(err.contains("Exception") || err.contains("internal error"), err);
    }
}
