package dev.ftmatrix.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Venvs copied from the toolchain's template are venvs of their own: their prefix, their pip, their scripts. */
@Tag("slow")
class VenvTest {
    @TempDir
    Path tmp;

    @Test
    void twoVenvsOfOneToolchainAreEachTheirOwnWithAWorkingPip() throws Exception {
        Toolchain tc = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse("cp313t"), "debian");
        for (String name : List.of("a", "b")) {
            Path dir = tmp.resolve(name).resolve("venv");
            Venv v = Venv.create(tc, dir, tmp.resolve("pip-cache"), tmp.resolve("venv.log"));
            assertEquals(dir.resolve("bin/python"), v.python());
            Processes.Run r = Processes.run(List.of(v.python().toString(), "-c",
                    "import sys, pip; print(sys.prefix); print(pip.__file__); print(sys._is_gil_enabled())"),
                    tmp, Map.of("PYTHON_GIL", "0"), tmp.resolve("run.log"), l -> { }, Duration.ofMinutes(1));
            assertTrue(r.ok(), r.output());
            List<String> lines = r.output().lines().toList();
            assertEquals(dir.toString(), lines.get(0), r.output());
            assertTrue(lines.get(1).startsWith(dir.toString()), "pip is the venv's own: " + r.output());
            assertEquals("False", lines.get(2));
            String pipScript = Files.readString(dir.resolve("bin/pip"));
            assertTrue(pipScript.startsWith("#!" + dir.resolve("bin/python")), pipScript);
            String cfg = Files.readString(dir.resolve("pyvenv.cfg"));
            assertFalse(cfg.contains("venvs"), "no path of the template is left: " + cfg);
            Processes.Run pip = Processes.run(List.of(dir.resolve("bin/pip").toString(), "--version"), tmp, Map.of(),
                    tmp.resolve("run.log"), l -> { }, Duration.ofMinutes(1));
            assertTrue(pip.ok() && pip.output().contains(dir.toString()), pip.output());
        }
    }
}
