package dev.ftmatrix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.TestOptions;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.dashboard.JUnitWriter;
import dev.ftmatrix.abi.SarifWriter;
import dev.ftmatrix.abi.SourceScan;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm check SOURCE}: one project, the chosen variants, a summary, files, and an exit code for CI. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Build and test one project for each variant and give a verdict per variant.")
final class CheckCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    @Parameters(paramLabel = "SOURCE", description = "a project directory, path:DIR, git+URL, pypi:NAME==VERSION, or an sdist")
    String source;

    @Option(names = "--ref", description = "branch, tag or commit of a git source")
    String ref = "";

    @Option(names = "--subdirectory", description = "the project's directory inside the source")
    String subdirectory = "";

    @Option(names = "--name", description = "project name (default: the source's last path part)")
    String name;

    @Option(names = "--variants", defaultValue = "cp313,cp313t", description = "Default: ${DEFAULT-VALUE}")
    String variants;

    @Mixin
    ToolchainOptionsMixin toolchains = new ToolchainOptionsMixin();

    @Option(names = "--json", paramLabel = "FILE", description = "write the result as JSON (schema 1)")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "write JUnit XML: a test suite per variant")
    Path junit;

    @Option(names = "--sarif", paramLabel = "FILE", description = "write the findings as SARIF 2.1.0")
    Path sarif;

    @Option(names = "--fail-on", defaultValue = "crash,hang,ft-failures",
            description = "verdicts that make the exit code 1. Default: ${DEFAULT-VALUE}")
    String failOn;

    @Mixin
    TestOptionsMixin tests = new TestOptionsMixin();

    @Option(names = "--thread-unsafe", split = ",", paramLabel = "TEST_ID",
            description = "test ids to run single-threaded only (besides those marked thread_unsafe)")
    List<String> threadUnsafe = new ArrayList<>();

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (default: CACHE/work)")
    Path work;

    @Option(names = "--pytest-args", split = " ", description = "pytest arguments instead of its own discovery")
    List<String> pytestArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        OutputPaths.file("--json", json);
        OutputPaths.file("--junit", junit);
        OutputPaths.file("--sarif", sarif);
        OutputPaths.directory("--work", work);
        List<Variant> vs = Variants.parseList("--variants", variants);
        TestOptions testOptions = tests.options().withThreadUnsafe(threadUnsafe).withPytestArgs(pytestArgs);
        Set<Verdict> failing = Arrays.stream(failOn.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(w -> {
                    try {
                        return Verdict.of(w);
                    } catch (IllegalArgumentException e) {
                        throw new UserInputException("--fail-on: " + e.getMessage());
                    }
                }).collect(Collectors.toSet());
        ConsoleProgress progress = new ConsoleProgress(System.err);
        Path cache = Toolchains.defaultCacheRoot();
        String projectName = name != null ? name : defaultName(source, subdirectory);
        ProjectSpec spec = new ProjectSpec(projectName, source, ref, subdirectory, vs, Map.of(), pytestArgs,
                threadUnsafe);
        ToolchainResolver resolver = toolchains.choice().resolver(cache, progress);
        Path workRoot = work != null ? work : cache.resolve("work");
        CheckResult result = new Pipeline(cache, workRoot, resolver, testOptions.testDeadline(), progress)
                .options(testOptions).check(spec);
        if (Interrupts.interrupted()) {
            return 130;   // the signal handler has said where; what the interrupt broke is no verdict
        }
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            JSON.writeValue(json.toFile(), result);
        }
        if (junit != null) {
            JUnitWriter.write(result, junit);
        }
        if (sarif != null) {
            new SarifWriter("0.1.0", "").write(result.findings(), SourceScan.rules(), sarif);
        }
        boolean failed = false;
        boolean ftmFailed = false;
        System.out.println(result.project() + " " + result.fingerprint());
        for (VariantResult r : result.variants().values()) {
            boolean bad = failing.contains(r.verdict());
            failed |= bad;
            ftmFailed |= r.verdict() == Verdict.ERROR;
            System.out.printf("  %-7s %-17s %s%s%n", r.variant(), r.verdict(), r.verdictReason(), bad ? "  [fails the check]"
                    : r.verdict() == Verdict.ERROR ? "  [not checked: ftm failed; rerun]" : "");
        }
        // ftm's own failure is not the project's: exit 3, whatever the other verdicts say
        return ftmFailed ? Ftm.INTERNAL : failed ? Ftm.CHECK_FAILED : Ftm.OK;
    }

    static String defaultName(String source, String subdirectory) {
        if (subdirectory.isEmpty() && source.startsWith("pypi:")) {
            return source.substring("pypi:".length()).replaceFirst("[=<>!~\\[;].*$", "").strip();
        }
        String s = !subdirectory.isEmpty() ? subdirectory : source.replaceFirst("^(git\\+|path:)", "");
        s = s.replaceFirst("(\\.tar\\.gz|\\.zip|\\.tgz)$", "").replaceFirst("-\\d[^/]*$", "");
        s = s.replaceAll("[/\\\\]+$", "").replaceAll("\\.git$", "");
        String last = s.substring(s.lastIndexOf('/') + 1);
        return last.isEmpty() ? "project" : last;
    }
}
