package dev.ftmatrix.service;

import java.nio.file.Path;

/** A child JVM for {@link ResultStoreTest}: stores results without end, saying each one it stored, until killed. */
public final class StoreKillWriter {
    private StoreKillWriter() {
    }

    public static void main(String[] args) {
        ResultStore store = new ResultStore(Path.of(args[0]));
        for (int i = 0; ; i++) {
            store.put(ResultStoreTest.result("p-" + i, "2026-11-23T10:00:00Z", "fp-" + i, dev.ftmatrix.core.Verdict.READY));
            System.out.println("stored p-" + i);
            System.out.flush();
        }
    }
}
