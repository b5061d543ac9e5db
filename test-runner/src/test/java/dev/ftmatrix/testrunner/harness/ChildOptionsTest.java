package dev.ftmatrix.testrunner.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ftmatrix.core.UserInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildOptionsTest {
    @Test
    void parsesWhatItWrites() {
        ChildOptions o = new ChildOptions(Path.of("/p/lib/libpython3.13t.so.1.0"), Path.of("/w/venv"), Path.of("/src"),
                Path.of("/w/events.jsonl"), Path.of("/w/driver"), List.of("pkg._speedups", "other"), 3,
                Duration.ofMillis(1500), 4, false, true, Path.of("/w/plan.jsonl"), List.of("tests/t.py::test_a"),
                List.of("tests", "-k", "not slow"), true, true, true);
        assertEquals(o, ChildOptions.parse(o.toArgs()));
    }

    @Test
    void refusesAMissingLibraryAndABadDeadline() {
        assertThrows(UserInputException.class, () -> ChildOptions.parse(List.of("--venv", "/v")));
        assertThrows(UserInputException.class, () -> ChildOptions.parse(List.of("--libpython", "l", "--venv", "v",
                "--project", "p", "--events", "e", "--deadline", "soon")));
        assertEquals(Duration.ofSeconds(30), ChildOptions.duration("30s"));
        assertEquals(Duration.ofMillis(2500), ChildOptions.duration("2.5"));
    }
}
