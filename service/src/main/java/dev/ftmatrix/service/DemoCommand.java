package dev.ftmatrix.service;

import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.scanner.FixtureRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ftm demo}: the demo matrix end to end. Each {@code fixture:NAME} source becomes a local git repository made
 * from {@code fixtures/NAME}, fetched like any other git source; the site goes to {@code build/site/}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run matrices/demo.yaml (the project's fixture extensions) end to end and render the site.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--root", description = "the ftmatrix checkout (default: where ./ftm lives)")
    Path root;

    @Option(names = "--out", description = "output directory (default: ROOT/build)")
    Path out;

    @Option(names = "--force", description = "redo every project even when its source is unchanged")
    boolean force;

    @Mixin
    ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

    @Mixin
    TestOptionsMixin tests = new TestOptionsMixin(TestOptionsMixin.DEMO_TEST_DEADLINE_SECONDS);

    @Override
    public Integer call() {
        OutputPaths.directory("--out", out);
        Path home = root != null ? root : Path.of(System.getProperty("ftm.root", ".")).toAbsolutePath().normalize();
        Path matrixFile = home.resolve("matrices/demo.yaml");
        MatrixFile matrix = MatrixFile.load(matrixFile);
        Path outDir = out != null ? out : home.resolve("build");
        Path repos = outDir.resolve("demo/git");
        return new MatrixRun(outDir, force, toolchains.choice(), tests.options())
                .call(matrix, fixtures(home, matrixFile, repos));
    }

    /**
     * Turns each {@code fixture:NAME} source of {@code matrixFile} into a local git repository under {@code repos}
     * made from {@code home/fixtures/NAME}; other sources pass unchanged.
     */
    static UnaryOperator<ProjectSpec> fixtures(Path home, Path matrixFile, Path repos) {
        return spec -> {
            if (!spec.source().startsWith("fixture:")) {
                return spec;
            }
            String name = spec.source().substring("fixture:".length());
            Path tree = home.resolve("fixtures").resolve(name);
            if (!Files.isDirectory(tree)) {
                throw new UserInputException(matrixFile + ": project " + spec.name() + " names fixture '" + name
                        + "', but " + tree + " does not exist; use one of the directories in fixtures/");
            }
            FixtureRepos.commit(tree, repos.resolve(name));
            return new ProjectSpec(spec.name(), FixtureRepos.source(repos.resolve(name)), "main", spec.subdirectory(),
                    spec.variants(), spec.env(), spec.testCommand(), spec.threadUnsafe());
        };
    }
}
