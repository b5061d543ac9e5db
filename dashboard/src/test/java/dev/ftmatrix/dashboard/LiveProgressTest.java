package dev.ftmatrix.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ftmatrix.core.Progress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveProgressTest {
    @Test
    void aProjectStartingCountsThoseBeforeItAsDoneFromTheEventNotFromItsLine() {
        LiveProgress live = new LiveProgress();
        List<String> console = new ArrayList<>();
        Progress both = Progress.both(console::add, live);
        live.started("demo", 3);
        both.projectStarted(2, 3, "ft-racy");
        both.report("(9/9) a line that only looks like a project starting");
        assertEquals(1, live.snapshot().get("done"));
        assertEquals(List.of("(2/3) ft-racy", "(9/9) a line that only looks like a project starting"), console);
        assertEquals(console, live.snapshot().get("lines"));
    }
}
