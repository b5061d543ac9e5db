package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ftm store check} on real SQLite files, healthy and damaged. */
class StoreCommandTest {
    @TempDir
    Path tmp;

    private Path store(int results) {
        Path dir = tmp.resolve("results");
        try (ResultStore store = new ResultStore(dir)) {
            for (int i = 0; i < results; i++) {
                store.put(ResultStoreTest.result("p-" + i, "2026-11-01T10:00:00Z", "git:" + i, Verdict.READY));
            }
        }
        return dir;
    }

    private record Run(int exit, String out) {
    }

    private static Run ftm(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Run(Ftm.run(args), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void aHealthyStoreSaysSo() {
        Path dir = store(3);
        Run r = ftm("store", "check", "--results", dir.toString());
        assertEquals(Ftm.OK, r.exit(), r.out());
        assertTrue(r.out().contains("healthy") && r.out().contains("3 results of 3 projects"), r.out());
    }

    @Test
    void aJunkPageIsReportedWithWhatCanBeSalvagedAndSalvageCopiesIt() throws Exception {
        Path dir = store(300);
        Path file = dir.resolve(ResultStore.FILE);
        byte[] all = Files.readAllBytes(file);
        int page = 4096;
        int mid = all.length / page / 2;
        Arrays.fill(all, mid * page, (mid + 1) * page, (byte) 0xAB);
        Files.write(file, all);

        Run r = ftm("store", "check", "--results", dir.toString());
        assertEquals(Ftm.CHECK_FAILED, r.exit(), r.out());
        assertTrue(r.out().contains("is damaged"), r.out());
        Matcher m = Pattern.compile("salvageable: (\\d+) results").matcher(r.out());
        assertTrue(m.find(), r.out());
        int salvageable = Integer.parseInt(m.group(1));
        assertTrue(salvageable > 0 && salvageable < 300, r.out());

        Path fresh = tmp.resolve("salvaged");
        r = ftm("store", "check", "--results", dir.toString(), "--salvage-to", fresh.toString());
        assertEquals(Ftm.CHECK_FAILED, r.exit(), r.out());
        assertArrayEquals(all, Files.readAllBytes(file), "the damaged store is left as it was");
        try (ResultStore s = ResultStore.readOnly(fresh)) {
            assertEquals(salvageable, s.count());
        }
        assertEquals(Ftm.OK, ftm("store", "check", "--results", fresh.toString()).exit());
    }

    @Test
    void anEmptyFileHasNothingToSalvage() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("results"));
        Files.createFile(dir.resolve(ResultStore.FILE));
        Run r = ftm("store", "check", "--results", dir.toString());
        assertEquals(Ftm.CHECK_FAILED, r.exit(), r.out());
        assertTrue(r.out().contains("the file is empty") && r.out().contains("nothing can be salvaged"), r.out());
        assertEquals(0, Files.size(dir.resolve(ResultStore.FILE)));
    }
}
