package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm run MATRIX}: every project of a matrix, results stored, then the site rendered. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a matrix file (matrices/*.yaml), store the results and render the site.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MATRIX", description = "a matrix file, e.g. matrices/demo.yaml")
    Path matrix;

    @Option(names = "--out", defaultValue = "build", description = "output directory (results/, site/). Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--force", description = "redo projects whose source is unchanged since their stored result")
    boolean force;

    @Option(names = "--store", paramLabel = "URL", description = StoreLocation.HELP + ". With --store or --workers"
            + " the matrix becomes one job per (project, variant) in the store's job queue. Default: OUT/results")
    String store;

    @Option(names = "--workers", paramLabel = "N", description = "work the jobs in this process with N workers (0:"
            + " only enqueue them, for `ftm worker --store URL`). Default: 1 with --store; without --store and"
            + " --workers the matrix runs here project by project, without a queue")
    Integer workers;

    @Mixin
    ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

    @Mixin
    TestOptionsMixin tests = new TestOptionsMixin();

    @Override
    public Integer call() throws InterruptedException {
        OutputPaths.directory("--out", out);
        MatrixFile m = MatrixFile.load(matrix);
        MatrixRun run = new MatrixRun(out, force, toolchains.choice(), tests.options());
        if (store == null && workers == null) {
            return run.call(m, UnaryOperator.identity());
        }
        int n = workers == null ? 1 : workers;
        if (n < 0 || n > 64) {
            throw new UserInputException("--workers " + n + ": give 0 (only enqueue) to 64");
        }
        Path home = Path.of(System.getProperty("ftm.root", ".")).toAbsolutePath().normalize();
        return new QueuedRun(run, StoreLocation.parse(store, out.resolve("results")), n)
                .call(m, DemoCommand.fixtures(home, matrix, out.resolve("demo/git")));
    }
}
