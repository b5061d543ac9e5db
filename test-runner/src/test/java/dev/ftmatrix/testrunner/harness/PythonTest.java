package dev.ftmatrix.testrunner.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The embedded free-threaded interpreter, driven from Java threads through FFM downcalls. */
@Tag("slow")
class PythonTest {
    static Toolchain toolchain;
    static Python py;

    @BeforeAll
    static void start() {
        toolchain = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313t"), "debian");
        py = Python.start(toolchain.libpython(), toolchain.python());
    }

    @AfterAll
    static void finish() {
        py.close();
    }

    @Test
    void initialisesTheInterpreterOfTheToolchainWithoutTheGil() {
        assertTrue(py.version().startsWith(toolchain.fullVersion()), py.version());
        assertEquals(toolchain.prefix().toString(), py.eval("__import__('sys').base_prefix", Map.of()));
        assertEquals("False", py.eval("__import__('sys')._is_gil_enabled()", Map.of()));
    }

    @Test
    void bindsVariablesAndKeepsStatementsInMain() {
        py.exec("def shout(s):\n    return s.upper() + '!'\n");
        assertEquals("ÜBER FREE-THREADING!", py.eval("shout(word)", Map.of("word", "über free-threading")));
    }

    @Test
    void aPythonErrorBecomesAnExceptionWithItsTypeAndText() {
        PythonException e = assertThrows(PythonException.class, () -> py.eval("1 // int(zero)", Map.of("zero", "0")));
        assertEquals("ZeroDivisionError: integer division or modulo by zero", e.getMessage());
        PythonException syntax = assertThrows(PythonException.class, () -> py.exec("def broken(:\n"));
        assertTrue(syntax.getMessage().startsWith("SyntaxError"), syntax.getMessage());
        assertEquals("2", py.eval("1 + 1", Map.of()), "the error was cleared");
    }

    @Test
    void javaThreadsAttachAndAreInsidePythonAtTheSameTime() throws Exception {
        // every thread waits inside Python until all are there: this finishes only if they are attached at once
        py.exec("import threading\nmeet = threading.Barrier(4, timeout=30)\n");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.add(pool.submit(() -> py.eval("str(meet.wait() >= 0) + ' ' + threading.current_thread().name", Map.of())));
            }
            List<String> names = new ArrayList<>();
            for (Future<String> f : seen) {
                String r = f.get();
                assertTrue(r.startsWith("True "), r);
                names.add(r);
            }
            assertEquals(4, names.stream().distinct().count(), "each Java thread has a thread state of its own: " + names);
        } finally {
            pool.shutdown();
        }
    }
}
