package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxLimits;
import dev.ftmatrix.builder.Build;
import dev.ftmatrix.builder.Built;
import dev.ftmatrix.builder.Sandbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.TestOutcome;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import dev.ftmatrix.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole variant runs (resolve, build, install, import, tests) in the container sandbox and in the local one. */
@Tag("slow")
class SandboxedRunTest {
    @TempDir
    Path tmp;

    static Toolchain toolchain(String id) {
        return new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse(id), "debian");
    }

    static Path fixture(String name) {
        return Path.of(System.getProperty("ftm.projectRoot", "..")).resolve("fixtures").resolve(name);
    }

    private Build run(Path project, String variant, String dir, Sandbox box) {
        return new Build(project, toolchain(variant), tmp.resolve(dir)).sandbox(box)
                .pipCache(Toolchains.defaultCacheRoot().resolve("pip"));
    }

    @Test
    void aBuildCannotReachTheNetworkInAContainerButCanLocally() throws Exception {
        Built boxed = run(fixture("sandbox-netprobe"), "cp313", "boxed", Containers.sandbox(SandboxLimits.DEFAULT)).call();
        assertTrue(boxed.build().ok(), boxed.build().reason() + boxed.build().logTail());
        String inBox = Files.readString(tmp.resolve("boxed/build.log"));
        assertTrue(inBox.contains("ftm-netprobe: no network from the build"), inBox);
        assertFalse(inBox.contains("ftm-netprobe: reached"), inBox);

        Built local = run(fixture("sandbox-netprobe"), "cp313", "local", Sandbox.local()).call();
        assertEquals("none", local.sandbox().kind());
        assertTrue(local.build().ok(), local.build().reason() + local.build().logTail());
        String onHost = Files.readString(tmp.resolve("local/build.log"));
        assertTrue(onHost.contains("ftm-netprobe: reached"), "the resolve phase needs PyPI, so the host reaches it: " + onHost);
    }

    @Test
    void aTreeOwnedByAnotherUserBuildsInAContainer() throws Exception {
        // an sdist unpacked by another user (tar as root keeps the archive's owners): the container cannot set owners,
        // so a copy that tried to keep them failed and the build passed for the project's failure
        Path owned = tmp.resolve("owned");
        dev.ftmatrix.support.FileTrees.copy(fixture("ft-ready"), owned);
        Processes.Run chown = Processes.run(List.of("chown", "-R", "4242:4242", owned.toString()), tmp, java.util.Map.of(),
                tmp.resolve("chown.log"), l -> { }, Duration.ofMinutes(1));
        assertTrue(chown.ok(), chown.output());
        Built o = run(owned, "cp313", "w", Containers.sandbox(SandboxLimits.DEFAULT)).call();
        assertTrue(o.build().ok(), o.build().reason() + "\n" + o.build().logTail());
    }

    @Test
    void aSetupPyThatForksWithoutBoundFailsAtThePidLimit() throws Exception {
        Path p = project("forker", """
                import os, time
                n = 0
                try:
                    while True:
                        if os.fork() == 0:
                            time.sleep(5)   # short: the children hold the build output open
                            os._exit(0)
                        n += 1
                except OSError as e:
                    raise SystemExit(f"ftm-forkbomb: fork failed after {n} children: {e}")
                """);
        Built o = run(p, "cp313", "w", Containers.sandbox(SandboxLimits.DEFAULT.withPids(128)))
                .buildDeadline(Duration.ofMinutes(3)).call();
        assertFalse(o.build().ok());
        String log = Files.readString(tmp.resolve("w/build.log"));
        String line = log.lines().filter(l -> l.contains("ftm-forkbomb: fork failed after")).findFirst()
                .orElseThrow(() -> new AssertionError(o.build().reason() + "\n" + o.build().logTail()));
        int children = Integer.parseInt(line.replaceAll(".*after (\\d+) children.*", "$1"));
        assertTrue(children < 128, line);
    }

    @Test
    void aSetupPyThatFillsTheDiskFillsOnlyItsInMemoryTmpAndCannotWriteTheWorkDirectory() throws Exception {
        Path escape = tmp.resolve("w/escaped.txt");
        Path p = project("filler", """
                import os
                n = 0
                try:
                    with open("fill.bin", "wb") as f:   # the build's working copy
                        while True:
                            f.write(b"x" * (1 << 20))
                            f.flush()
                            n += 1
                except OSError as e:
                    print(f"ftm-diskfill: stopped after {n} MiB: {e}", flush=True)
                os.remove("fill.bin")
                try:
                    with open(%s, "w") as f:
                        f.write("escaped")
                except OSError as e:
                    print(f"ftm-diskfill: cannot write the work directory: {e}", flush=True)
                """.formatted("'" + escape + "'"));
        Built o = run(p, "cp313", "w", Containers.sandbox(SandboxLimits.DEFAULT.withTmp(64L << 20)))
                .buildDeadline(Duration.ofMinutes(3)).call();
        String log = Files.readString(tmp.resolve("w/build.log"));
        String line = log.lines().filter(l -> l.contains("ftm-diskfill: stopped after")).findFirst()
                .orElseThrow(() -> new AssertionError(o.build().reason() + "\n" + o.build().logTail()));
        assertTrue(Integer.parseInt(line.replaceAll(".*after (\\d+) MiB.*", "$1")) <= 64, line);
        assertTrue(line.contains("No space left on device"), line);
        assertTrue(log.contains("ftm-diskfill: cannot write the work directory") && log.contains("Read-only file system"), log);
        assertFalse(Files.exists(escape));
    }

    @Test
    void aNeverEndingBuildIsStoppedAtItsDeadline() throws Exception {
        Path p = project("spinner", "while True:\n    pass\n");
        Built o = run(p, "cp313", "w", Containers.sandbox(SandboxLimits.DEFAULT))
                .buildDeadline(Duration.ofSeconds(20)).call();
        assertFalse(o.build().ok());
        assertTrue(o.build().reason().contains("deadline") && o.build().reason().endsWith("cause: timeout"), o.build().reason());
        assertTrue(Files.readString(tmp.resolve("w/build.log")).contains("ftm sandbox: stopped at its deadline"));
    }

    /** A pure-Python project whose setup.py runs {@code code} first. */
    private Path project(String name, String code) throws Exception {
        Path p = Files.createDirectories(tmp.resolve(name));
        Files.writeString(p.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools>=61"]
                build-backend = "setuptools.build_meta"
                [project]
                name = "%s"
                version = "0"
                [tool.setuptools]
                py-modules = []
                """.formatted(name));
        Files.writeString(p.resolve("setup.py"), code + "\nfrom setuptools import setup\nsetup()\n");
        return p;
    }
}
