package dev.ftmatrix.builder.internal;

import dev.ftmatrix.builder.sandbox.Wheelhouse;
import dev.ftmatrix.support.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The test requirements fetched on the host in the background while the project builds in the sandbox (they are
 * needed only to install; both mostly wait, on the index and on compilers), into a wheel directory and a log of their
 * own. {@link #await()} waits for them, adds their wheels to the wheelhouse and their log to the build's; it is
 * called once the build is done, and again (doing nothing) on every way out of the build.
 */
public final class TestRequirementsFetch {
    private final CompletableFuture<TestRequirementsResolver.Result> fetched = new CompletableFuture<>();
    private final Path wheels;
    private final Path ownLog;
    private final Path wheelhouse;
    private final Path log;
    private TestRequirementsResolver.Result result;

    private TestRequirementsFetch(Path work, Path wheelhouse, Path log) {
        this.wheels = work.resolve("wheelhouse-tests");
        this.ownLog = work.resolve("test-requirements.log");
        this.wheelhouse = wheelhouse;
        this.log = log;
    }

    /**
     * Starts fetching {@code requirements} (less those on a harness requirement, named as missing) for {@code python}
     * under {@code work}; {@link #await()} puts them into {@code wheelhouse} and their log into {@code log}.
     */
    public static TestRequirementsFetch start(Path python, List<String> requirements, List<String> tools, Path work,
                                              Path wheelhouse, Map<String, String> env, Path log, Duration deadline) {
        TestRequirementsFetch f = new TestRequirementsFetch(work, wheelhouse, log);
        // a project's own pin of a harness requirement (pytest-run-parallel==0.2.0) cannot install beside it
        TestRequirementsResolver.Result notTools = TestRequirementsResolver.withoutTools(requirements, tools);
        try {
            Files.createDirectories(f.wheels);
            FileTrees.delete(f.ownLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("ftm-test-requirements").start(() -> {
            try {
                f.fetched.complete(TestRequirementsResolver.resolve(python, notTools.fetched(), f.wheels, env, f.ownLog,
                        deadline).alsoMissing(notTools.missing()));
            } catch (RuntimeException | Error e) {
                f.fetched.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Waits for the fetch; the first call also adds the wheels to the wheelhouse and the log to the build's. */
    public synchronized TestRequirementsResolver.Result await() throws IOException {
        if (result != null) {
            return result;
        }
        try {
            result = fetched.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
        Wheelhouse.merge(wheels, wheelhouse);
        if (Files.exists(ownLog)) {
            Files.writeString(log, "[ftm] the test requirements, fetched while the project built:\n"
                    + Files.readString(ownLog), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return result;
    }
}
