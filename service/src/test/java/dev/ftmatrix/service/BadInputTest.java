package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets exit code 2 and one line naming the input and the fix. */
class BadInputTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldErr;

    @BeforeEach
    void captureStderr() {
        oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
    }

    private String lastLine() {
        String[] lines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void unknownVariant() {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--variants", "cp313,cp313x"));
        assertTrue(lastLine().contains("cp313x") && lastLine().contains("cp313t"), lastLine());
    }

    @Test
    void wheelJobsWithoutAStoreOrWithTooManyWorkers() {
        assertEquals(2, Ftm.run("wheels", "pypi:blake3", "--workers", "2"));
        assertTrue(lastLine().contains("--workers 2") && lastLine().contains("--store"), lastLine());
        assertEquals(2, Ftm.run("wheels", "pypi:blake3", "--store", tmp.toString(), "--workers", "65"));
        assertTrue(lastLine().contains("--workers 65") && lastLine().contains("1 to 64"), lastLine());
    }

    @Test
    void projectWithoutBuildFile() {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--variants", "cp313", "--no-install"));
        assertTrue(lastLine().contains("pyproject.toml") && lastLine().contains(tmp.getFileName().toString()), lastLine());
    }

    @Test
    void missingPython() {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--python", tmp.resolve("python3.14t").toString()));
        assertTrue(lastLine().contains("python3.14t") && lastLine().contains("--python"), lastLine());
    }

    @Test
    void matrixWithATypoGetsLineAndColumn() throws Exception {
        Path m = tmp.resolve("typo.yaml");
        Files.writeString(m, """
                schema: 1
                name: typo
                projects:
                  - name: a
                    source: path:/tmp/a
                    refs: main
                """);
        assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(lastLine().contains("typo.yaml:6:") && lastLine().contains("'refs'") && lastLine().contains("ref"),
                lastLine());
    }

    @Test
    void matrixWithAnUnknownVariant() throws Exception {
        Path m = tmp.resolve("v.yaml");
        Files.writeString(m, "schema: 1\nname: v\nvariants: [cp313, cp399t]\nprojects:\n  - {name: a, source: 'path:/x'}\n");
        assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(lastLine().contains("cp399t"), lastLine());
    }

    @Test
    void matrixThatIsNotYaml() throws Exception {
        Path m = tmp.resolve("broken.yaml");
        Files.writeString(m, "schema: 1\nname: [unclosed\nprojects: []\n");
        assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(lastLine().contains("broken.yaml:"), lastLine());
    }

    @Test
    void matrixProjectWithoutASource() throws Exception {
        Path m = tmp.resolve("nosrc.yaml");
        Files.writeString(m, "schema: 1\nname: n\nprojects:\n  - name: a\n    ref: main\n");
        assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(lastLine().contains("nosrc.yaml:") && lastLine().contains("missing required key 'source'"), lastLine());
    }

    @Test
    void zeroThreads() {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--threads", "0", "--no-install"));
        assertTrue(lastLine().contains("--threads 0"), lastLine());
    }

    @Test
    void testOptionsOutOfBoundsAreRefusedBeforeAnyWork() {
        String[][] cases = {
            {"--test-deadline", "0"}, {"--test-deadline", "-5"}, {"--test-deadline", "9223372036854775807"},
            {"--iterations", "1000000"}, {"--iterations", "0"}, {"--threads", "100000"}, {"--threads", "-1"},
        };
        for (String[] c : cases) {
            err.reset();
            // a missing project: any work done before the check would end in another message
            assertEquals(2, Ftm.run("check", tmp.resolve("nowhere").toString(), c[0], c[1]), String.join(" ", c));
            assertTrue(lastLine().startsWith("ftm: " + c[0] + " " + c[1] + ": give "), lastLine());
        }
        err.reset();
        assertEquals(2, Ftm.run("run", tmp.resolve("nowhere.yaml").toString(), "--test-deadline", "-5"));
        assertTrue(lastLine().contains("--test-deadline -5: give 1 to 1800"), lastLine());
    }

    @Test
    void noVariantsIsAnErrorNotAPass() throws Exception {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--variants", ""));
        assertTrue(lastLine().contains("--variants ''") && lastLine().contains("at least one"), lastLine());
        assertEquals(2, Ftm.run("check", tmp.toString(), "--variants", " , "));
        assertEquals(2, Ftm.run("patch", tmp.toString(), "--variant", ""));
        assertTrue(lastLine().contains("--variant ''") && lastLine().contains("name one variant"), lastLine());
        assertEquals(2, Ftm.run("patch", tmp.toString(), "--variant", "cp313t,cp314t"));
        assertTrue(lastLine().contains("name one variant"), lastLine());
        Path m = tmp.resolve("none.yaml");
        Files.writeString(m, "schema: 1\nname: none\nvariants: []\nprojects:\n  - {name: a, source: 'path:/x'}\n");
        assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(lastLine().contains("'variants' is empty"), lastLine());
        Files.writeString(m, "schema: 1\nname: none\nprojects:\n  - {name: a, source: 'path:/x', variants: []}\n");
        assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(lastLine().contains("(a): 'variants' is empty"), lastLine());
    }

    @Test
    void benchOptionsAreCheckedBeforeItBuildsAnything() {
        assertEquals(2, Ftm.run("bench", "--tests", "0"));
        assertTrue(lastLine().contains("--tests 0"), lastLine());
        assertEquals(2, Ftm.run("bench", "--repeats", "0"));
        assertEquals(2, Ftm.run("bench", "--threads", "0"));
        assertTrue(lastLine().contains("--threads 0"), lastLine());
    }

    @Test
    void aPythonThatIsNotCPython() throws Exception {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--variants", "cp313t", "--python", "/bin/true", "--no-install"));
        assertTrue(lastLine().startsWith("ftm: --python /bin/true: not a CPython interpreter"), lastLine());
        Path fake = tmp.resolve("python3.13t");
        Files.writeString(fake, "#!/bin/sh\necho '{\"major\": 3}'\n");
        fake.toFile().setExecutable(true);
        assertEquals(2, Ftm.run("check", tmp.toString(), "--variants", "cp313t", "--python", fake.toString(), "--no-install"));
        assertTrue(lastLine().contains(fake + ": not a CPython interpreter") && lastLine().contains("printed '{"),
                lastLine());
    }

    @Test
    void outputPathsOfTheWrongKind() throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        Path m = tmp.resolve("m.yaml");
        Files.writeString(m, "schema: 1\nname: m\nprojects:\n  - {name: a, source: 'path:/x'}\n");
        assertEquals(2, Ftm.run("run", m.toString(), "--out", file.toString()));
        assertTrue(lastLine().equals("ftm: --out " + file + ": is a file, not a directory; give a directory (new or existing)"),
                lastLine());
        assertEquals(2, Ftm.run("run", m.toString(), "--out", file.resolve("sub").toString()));
        assertTrue(lastLine().contains(file + " is a file, not a directory"), lastLine());
        assertEquals(2, Ftm.run("check", tmp.toString(), "--json", tmp.toString()));
        assertTrue(lastLine().contains("--json " + tmp + ": is a directory"), lastLine());
        assertEquals(2, Ftm.run("site", "--results", tmp.toString(), "--out", file.toString()));
        assertTrue(lastLine().contains("--out " + file + ": is a file"), lastLine());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void matrixWithWrongTypesSaysTheKeyAndTheTypeExpected() throws Exception {
        String[][] cases = {
            {"schema: 1\nname: m\nvariants: cp313t\nprojects:\n  - {name: a, source: 'path:/x'}\n",
                "m.yaml:3:11: 'variants' should be a list, e.g. [cp313, cp313t], not a string"},
            {"schema: 1\nname: m\nprojects: {name: a}\n", "'projects' should be a list"},
            {"schema: one\nname: m\nprojects: []\n", "m.yaml:1:9: 'schema' should be a whole number, not 'one'"},
            {"schema: 1\nname: m\nprojects:\n  - name: a\n    source: 'path:/x'\n    env: [A, B]\n",
                "'projects[0].env' should be a mapping of keys to values, not a list"},
            {"schema: 1\nname: [a, b]\nprojects: []\n", "'name' should be a single value (a string), not a list"},
        };
        Path m = tmp.resolve("m.yaml");
        for (String[] c : cases) {
            Files.writeString(m, c[0]);
            assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()), c[0]);
            assertTrue(lastLine().contains(c[1]) && !lastLine().contains("java.") && !lastLine().contains("`"),
                    lastLine());
        }
    }

    @Test
    void matrixKeysWithNoValueAreUserErrors() throws Exception {
        String[][] cases = {
            {"schema: 1\nname: m\nprojects:\n  - name: a\n    source: 'path:/x'\n    env: {A: ~}\n", "'env A' with no value"},
            {"schema: 1\nname: m\nprojects:\n  - name: a\n    source: ~\n", "'source' with no value"},
            {"schema: 1\nname: m\nprojects:\n  -\n", "empty item"},
            {"schema: 1\nname: m\nprojects:\n  - {name: a, source: 'path:/x', tests: [a, ~]}\n", "empty list item"},
            {"schema: 1\nname: ~\nprojects:\n  - {name: a, source: 'path:/x'}\n", "'name' with no value"},
        };
        Path m = tmp.resolve("m.yaml");
        for (String[] c : cases) {
            Files.writeString(m, c[0]);
            assertEquals(2, Ftm.run("run", m.toString(), "--out", tmp.resolve("out").toString()), c[0]);
            assertTrue(lastLine().contains(c[1]), lastLine());
        }
    }

    @Test
    void anEmptyOrDirectoryPythonIsAUserError() {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--python", "", "--no-install"));
        assertTrue(lastLine().contains("--python") && lastLine().contains("no executable there"), lastLine());
        assertEquals(2, Ftm.run("check", tmp.toString(), "--python", tmp.toString(), "--no-install"));
    }

    @Test
    void unknownOption() {
        assertEquals(2, Ftm.run("check", "--frobnicate"));
    }

    @Test
    void badFailOnWord() {
        assertEquals(2, Ftm.run("check", tmp.toString(), "--fail-on", "crash,oops"));
        assertTrue(lastLine().contains("oops"), lastLine());
    }

    @Test
    void badGitUrlNamesTheUrl() {
        String url = "git+file://" + tmp.resolve("no-such-repo");
        assertEquals(2, Ftm.run("check", url, "--variants", "cp313", "--no-install", "--work", tmp.resolve("w").toString()));
        assertTrue(lastLine().contains("no-such-repo") && lastLine().contains("URL"), lastLine());
    }
}
