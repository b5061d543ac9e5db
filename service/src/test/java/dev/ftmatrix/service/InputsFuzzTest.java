package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.UserInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import picocli.CommandLine;

/**
 * Property-based fuzzing of what users type: matrix files and command-line options. A matrix either loads with a
 * project and a variant for each, or is one line naming the file's place and the fix; an option is either within
 * its bounds or exit 2; no input ends in a stack trace or in exit 0 with nothing checked. Tries are bounded so the
 * class runs in seconds.
 */
class InputsFuzzTest {
    private static final String MATRIX = """
            schema: 1
            name: fuzz
            variants: [cp313, cp313t]
            projects:
              - name: a
                source: path:/nowhere/a
                ref: main
                subdirectory: sub
                variants: [cp313t]
                env: {A: "1"}
                tests: [tests]
                threadUnsafe: [tests/test_a.py::test_x]
              - name: b
                source: git+https://example.invalid/b.git
            """;
    private static final String[] PIECES = {"", " ", "\n", "  ", "- ", ":", ": ", "[", "]", "{", "}", ",", "'", "\"",
        "#", "&a", "*a", "!!int", "!!map", "~", "null", "true", "1", "-1", "1e9", "cp399t", "cp313t", "schema",
        "variants", "projects", "name", "source", "\t", "\0", "\\u0000", "|", ">", "---", "...", "?", "%", "@", "`"};

    private Path tmp;

    @BeforeProperty
    void makeTemp() throws IOException {
        tmp = Files.createTempDirectory("ftm-fuzz");
    }

    @AfterProperty
    void removeTemp() {
        dev.ftmatrix.support.FileTrees.delete(tmp);
    }

    /** The demo-like matrix with a few of its characters replaced, removed or added: mostly near-YAML. */
    @Provide
    Arbitrary<String> matrices() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            StringBuilder s = new StringBuilder(MATRIX);
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(3)) {
                    case 0 -> s.insert(at, PIECES[r.nextInt(PIECES.length)]);
                    case 1 -> s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(12)));
                    default -> s.replace(at, at + 1, PIECES[r.nextInt(PIECES.length)]);
                }
            }
            return s.toString();
        });
    }

    @Property(tries = 400)
    void aMatrixLoadsWithSomethingToCheckOrIsOneLineSayingWhere(@ForAll("matrices") String text) throws IOException {
        Path file = tmp.resolve("m.yaml");
        Files.writeString(file, text);
        try {
            MatrixFile m = MatrixFile.load(file);
            assertFalse(m.projects().isEmpty(), text);
            for (ProjectSpec p : m.projects()) {
                assertFalse(p.variants().isEmpty(), "nothing to check for " + p.name() + " in:\n" + text);
            }
        } catch (UserInputException e) {
            String msg = e.getMessage();
            assertTrue(msg.contains("m.yaml"), msg);
            assertFalse(msg.contains("\n") || msg.contains("java.") || msg.contains("com.fasterxml")
                    || msg.contains("Cannot construct"), msg);
        }
    }

    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf), Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0", "1", "-1", "1800", "1801", "256", "257", "100", "101", "", " ", "1.5", "0x10",
                        "9223372036854775808", "ten", "\0"));
    }

    private static final String[] BOUNDED = {"--threads", "--iterations", "--test-deadline"};

    @Property(tries = 300)
    void aTestOptionIsWithinItsBoundsOrAParameterError(@ForAll("numbers") String value,
                                                       @ForAll("bounded") String option) {
        CheckCommand check = new CheckCommand();
        try {
            new CommandLine(check).parseArgs("SRC", option, value);
        } catch (CommandLine.ParameterException e) {
            assertTrue(e.getMessage().contains(option), e.getMessage());
            return;
        }
        TestOptions o = check.tests.options();
        long n = Long.parseLong(value.strip());
        switch (option) {
            case "--threads" -> assertEquals(n, o.threads());
            case "--iterations" -> assertEquals(n, o.iterations());
            default -> assertEquals(n, o.testDeadline().toSeconds());
        }
        assertTrue(o.threads() >= 1 && o.threads() <= TestOptions.MAX_THREADS);
        assertTrue(o.iterations() >= 1 && o.iterations() <= TestOptions.MAX_ITERATIONS);
        assertTrue(o.testDeadline().toSeconds() >= 1
                && o.testDeadline().toSeconds() <= TestOptions.MAX_TEST_DEADLINE_SECONDS);
    }

    @Provide
    Arbitrary<String> bounded() {
        return Arbitraries.of(BOUNDED);
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> option = Arbitraries.of("--variants", "--threads", "--iterations", "--test-deadline",
                "--fail-on", "--json", "--python", "--name", "--subdirectory", "--ref", "--thread-unsafe");
        Arbitrary<String> value = Arbitraries.oneOf(numbers(), Arbitraries.of("", ",", "cp313", "cp313t,cp314t",
                "cp3", "cp313x", "crash,oops", "ready", "/bin/true", "../..", "a b", "-", "--", "--help"),
                Arbitraries.strings().ofMaxLength(12));
        return net.jqwik.api.Combinators.combine(option, value).as(List::of).list().ofMaxSize(4)
                .map(pairs -> {
                    List<String> args = new ArrayList<>();
                    pairs.forEach(args::addAll);
                    return args;
                });
    }

    /**
     * {@code ftm check} of a project that is not there, with any options: never exit 0 (nothing was checked) nor 3
     * (an internal error), and never a stack trace.
     */
    @Property(tries = 150)
    void checkWithAnyOptionsIsNeverAPassNorAnInternalError(@ForAll("commandLines") List<String> options) {
        List<String> args = new ArrayList<>(List.of("check", tmp.resolve("no-such-project").toString(), "--no-install",
                "--work", tmp.resolve("work").toString()));
        args.addAll(options);
        if (options.contains("--help")) {
            return;   // help is a fine answer to asking for it
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Ftm.run(args.toArray(String[]::new));
        } finally {
            System.setErr(old);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertNotEquals(Ftm.OK, exit, args + "\n" + said);
        assertNotEquals(Ftm.INTERNAL, exit, args + "\n" + said);
        assertFalse(said.contains("\tat "), args + "\n" + said);
    }
}
