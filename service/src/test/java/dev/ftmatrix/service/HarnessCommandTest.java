package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child entry's command line: mistakes are user errors (exit 2) before any interpreter is loaded. */
class HarnessCommandTest {
    @Test
    void missingRequiredOptionsAreABadUsage() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("harness", "--venv", "/nowhere"));
    }

    @Test
    void anUnreadableDeadlineIsABadInput() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("harness", "--libpython", "/nowhere/libpython3.13t.so", "--venv", "/v",
                "--project", "/p", "--events", "/tmp/ftm-events.jsonl", "--deadline", "soon"));
    }

    @Test
    void theCommandLineReachesTheChildWhole(@TempDir Path tmp) throws Exception {
        Path events = tmp.resolve("events.jsonl");
        assertEquals(Ftm.INTERNAL, Ftm.run("harness", "--libpython", tmp.resolve("libpython3.13t.so").toString(),
                "--venv", tmp.toString(), "--project", tmp.toString(), "--events", events.toString(), "--deadline", "5s"));
        String written = Files.readString(events);
        assertTrue(written.contains("\"ev\":\"failure\"")
                && written.contains("no libpython at " + tmp.resolve("libpython3.13t.so")), written);
    }

    @Test
    void benchRefusesAnUnknownVariant() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("bench", "--variant", "cp27"));
    }
}
