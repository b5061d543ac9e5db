package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxLimits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.builder.Venv;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * frozenlist 1.6.0, a real sdist from PyPI: its in-tree backend ({@code backend-path}) asks for Cython only through
 * {@code get_requires_for_build_wheel}, a newer one on a free-threaded interpreter.
 */
@Tag("slow")
class DynamicBuildRequiresTest {
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    @TempDir
    Path tmp;

    @Test
    void frozenlistsBackendAsksForCythonWhichLandsInTheWheelhouseAndTheOfflineBuildSucceeds() throws Exception {
        Toolchain ft = SandboxedRunTest.toolchain("cp313t");
        Path project = frozenlist(ft);
        Path log = tmp.resolve("build.log");
        Venv venv = Venv.create(ft, tmp.resolve("venv"), pipCache(), log);
        Wheelhouse.Resolved resolved = staticWheelhouse(venv, project, log);
        assertEquals("pep517_backend.hooks", resolved.backend());
        assertEquals(List.of("packaging"), resolved.backendPath());
        assertFalse(cython(resolved.dir()), "the static requirements have no Cython: " + resolved.buildRequires());

        List<String> before = files(project);
        long t0 = System.nanoTime();
        DynamicBuildRequires.Result r = new DynamicBuildRequires(resolved, project, ft.python(), new LocalSandbox())
                .log(log).deadline(DEADLINE).call();
        System.err.printf("TIMING frozenlist 1.6.0 cp313t dynamic build requirements (hook + download): %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertTrue(r.ok(), r.reason() + "\n" + r.logTail());
        assertTrue(r.fetched().contains("Cython ~= 3.1.0a1"), "free-threaded CPython gets the newer Cython: " + r.requires());
        assertTrue(cython(resolved.dir()), "Cython in the wheelhouse");
        assertEquals(before, files(project), "the hook runs on a copy of the tree");

        venv.offline(resolved.dir());
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        t0 = System.nanoTime();
        Processes.Run build = venv.buildWheel(project, dist, List.of(), DEADLINE);
        System.err.printf("TIMING frozenlist 1.6.0 cp313t offline build: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertTrue(build.ok(), build.tail(40));
        try (Stream<Path> s = Files.list(dist)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("frozenlist-1\\.6\\.0-cp313-cp313t-.*\\.whl")));
        }
    }

    @Test
    void inAContainerTheGilBuildGetsItsOwnCythonPin() throws Exception {
        ContainerSandbox box = Containers.sandbox(SandboxLimits.DEFAULT);
        Toolchain gil = SandboxedRunTest.toolchain("cp313");
        Path project = frozenlist(gil);
        Path log = tmp.resolve("build.log");
        Venv venv = Venv.create(gil, tmp.resolve("venv"), pipCache(), log);
        Wheelhouse.Resolved resolved = staticWheelhouse(venv, project, log);
        DynamicBuildRequires.Result r = new DynamicBuildRequires(resolved, project, gil.python(), box)
                .readOnly(List.of(gil.prefix())).log(log).deadline(DEADLINE).call();
        assertTrue(r.ok(), r.reason() + "\n" + r.logTail());
        assertTrue(r.fetched().contains("Cython >= 3.0.12"), r.requires().toString());
        assertTrue(cython(resolved.dir()));
    }

    @Test
    void aBackendThatFailsIsAFailedResolveNotABuildError() throws Exception {
        Toolchain gil = SandboxedRunTest.toolchain("cp313");
        Path project = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(project.resolve("pyproject.toml"), """
                [build-system]
                requires = []
                build-backend = "backend"
                backend-path = ["."]
                """);
        Files.writeString(project.resolve("backend.py"), """
                def get_requires_for_build_wheel(config_settings=None):
                    raise RuntimeError("ftm-test: the hook broke")
                """);
        Path log = tmp.resolve("build.log");
        Venv venv = Venv.create(gil, tmp.resolve("venv"), pipCache(), log);
        Wheelhouse.Resolved resolved = staticWheelhouse(venv, project, log);
        DynamicBuildRequires.Result r = new DynamicBuildRequires(resolved, project, gil.python(), new LocalSandbox())
                .log(log).deadline(DEADLINE).call();
        assertFalse(r.ok());
        assertTrue(r.reason().startsWith("resolve: the build backend backend's get_requires_for_build_wheel failed (exit 1)"),
                r.reason());
        assertTrue(r.logTail().contains("RuntimeError: ftm-test: the hook broke"), r.logTail());
    }

    /**
     * setuptools from 70.1 answers get_requires_for_build_wheel with the project's setup_requires alone: a tree that
     * names none is answered without the hook (and setuptools itself, asked directly, says the same: nothing); one
     * that names some still runs the hook, which asks for them.
     */
    @Test
    void setuptoolsWithoutSetupRequiresIsAnsweredWithoutRunningTheHook() throws Exception {
        Toolchain gil = SandboxedRunTest.toolchain("cp313");
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(plain.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools>=75"]
                build-backend = "setuptools.build_meta"
                """);
        Files.writeString(plain.resolve("setup.py"), """
                from setuptools import setup, Extension
                setup(name="plain", version="1.0", ext_modules=[Extension("plain", ["plain.c"])])
                """);
        Path log = tmp.resolve("build.log");
        Venv venv = Venv.create(gil, tmp.resolve("venv"), pipCache(), log);
        Wheelhouse.Resolved resolved = staticWheelhouse(venv, plain, log);
        DynamicBuildRequires.Result r = new DynamicBuildRequires(resolved, plain, gil.python(), new LocalSandbox())
                .log(log).deadline(DEADLINE).call();
        assertTrue(r.ok() && r.requires().isEmpty(), r.toString());
        assertTrue(Files.readString(log).contains("get_requires_for_build_wheel not asked: setuptools "), Files.readString(log));
        assertFalse(Files.readString(log).contains("build_requires_hook.py"), "no hook ran: " + Files.readString(log));
        // setuptools itself, from the same wheelhouse, asked the same question
        Processes.Run inst = venv.pip(tmp, DEADLINE, "install", "--no-index", "--find-links", resolved.dir().toString(),
                "setuptools");
        assertTrue(inst.ok(), inst.tail(20));
        Processes.Run asked = Processes.run(List.of(venv.python().toString(), "-c",
                "from setuptools import build_meta; print('ASKED', build_meta.get_requires_for_build_wheel())"), plain,
                Map.of(), log, l -> { }, DEADLINE);
        assertTrue(asked.output().contains("ASKED []"), asked.output());

        Path withSetupRequires = Files.createDirectories(tmp.resolve("asks"));
        Files.writeString(withSetupRequires.resolve("pyproject.toml"), Files.readString(plain.resolve("pyproject.toml")));
        Files.writeString(withSetupRequires.resolve("setup.py"), """
                from setuptools import setup
                setup(name="asks", version="1.0", setup_requires=["iniconfig"])
                """);
        Wheelhouse.Resolved resolved2 = staticWheelhouse(venv, withSetupRequires, log, "wheelhouse2");
        DynamicBuildRequires.Result r2 = new DynamicBuildRequires(resolved2, withSetupRequires, gil.python(),
                new LocalSandbox()).log(log).deadline(DEADLINE).call();
        assertTrue(r2.ok(), r2.reason() + "\n" + r2.logTail());
        assertEquals(List.of("iniconfig"), r2.fetched(), r2.toString());
    }

    /** The resolve phase as VariantRun runs it, without test requirements. */
    private Wheelhouse.Resolved staticWheelhouse(Venv venv, Path project, Path log) {
        return staticWheelhouse(venv, project, log, "wheelhouse");
    }

    private Wheelhouse.Resolved staticWheelhouse(Venv venv, Path project, Path log, String dir) {
        Wheelhouse.Resolved resolved = Wheelhouse.resolve(venv.python(), project, List.of(), List.of(),
                tmp.resolve(dir), Map.of("PIP_CACHE_DIR", pipCache().toString()), log, DEADLINE);
        assertTrue(resolved.ok(), resolved.run().tail(20));
        return resolved;
    }

    private static boolean cython(Path wheelhouse) throws Exception {
        try (Stream<Path> s = Files.list(wheelhouse)) {
            return s.anyMatch(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).startsWith("cython-"));
        }
    }

    private static List<String> files(Path tree) throws Exception {
        try (Stream<Path> s = Files.walk(tree)) {
            return s.map(p -> tree.relativize(p) + " " + p.toFile().lastModified()).sorted().toList();
        }
    }

    private static Path pipCache() {
        return Toolchains.defaultCacheRoot().resolve("pip");
    }

    /** The sdist, downloaded with the toolchain's pip and unpacked. */
    private Path frozenlist(Toolchain tc) throws Exception {
        Path downloads = Files.createDirectories(tmp.resolve("sdist"));
        Processes.Run get = Processes.run(List.of(tc.python().toString(), "-m", "pip", "download", "--no-deps",
                "--no-binary", "frozenlist", "--cache-dir", pipCache().toString(), "-d", downloads.toString(),
                "frozenlist==1.6.0"), tmp, Map.of("PIP_DISABLE_PIP_VERSION_CHECK", "1"), null, l -> { }, DEADLINE);
        assertTrue(get.ok(), get.tail(20));
        Processes.Run untar = Processes.run(List.of("tar", "xzf", downloads.resolve("frozenlist-1.6.0.tar.gz").toString()),
                tmp, Map.of(), null, l -> { }, Duration.ofMinutes(1));
        assertTrue(untar.ok(), untar.tail(20));
        return tmp.resolve("frozenlist-1.6.0");
    }
}
