package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
    void benchRefusesAnUnknownVariant() {
        assertEquals(Ftm.BAD_INPUT, Ftm.run("bench", "--variant", "cp27"));
    }
}
