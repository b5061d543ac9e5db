package dev.ftmatrix.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A vendored pybind11 kept as a git submodule with a relative URL is checked out and read. */
class GitSubmoduleTest {
    @TempDir
    Path tmp;

    private void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "protocol.file.allow=always",
                "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    @Test
    void relativeSubmodulesAreCheckedOut() throws Exception {
        Path sub = tmp.resolve("repos/pybind11");
        Files.createDirectories(sub.resolve("include/pybind11/detail"));
        Files.writeString(sub.resolve("include/pybind11/detail/common.h"),
                "#define PYBIND11_VERSION_MAJOR 2\n#define PYBIND11_VERSION_MINOR 12\n#define PYBIND11_VERSION_PATCH 0\n");
        git(sub, "init", "-q");
        git(sub, "add", ".");
        git(sub, "commit", "-q", "-m", "pybind11");

        Path main = tmp.resolve("repos/project");
        Files.createDirectories(main.resolve("src"));
        Files.writeString(main.resolve("pyproject.toml"), "[build-system]\nrequires = [\"scikit-build-core\"]\n"
                + "build-backend = \"scikit_build_core.build\"\n");
        Files.writeString(main.resolve("CMakeLists.txt"), "add_subdirectory(extern/pybind11)\npybind11_add_module(_m src/m.cpp)\n");
        Files.writeString(main.resolve("src/m.cpp"), "PYBIND11_MODULE(_m, m) {}\n");
        git(main, "init", "-q");
        git(main, "submodule", "add", "-q", "../pybind11", "extern/pybind11");
        git(main, "add", ".");
        git(main, "commit", "-q", "-m", "project");

        FetchedSource src = new SourceFetcher(tmp.resolve("cache"), l -> { })
                .fetch("git+" + main.toUri(), "main", "", tmp.resolve("work"));
        ProjectScan s = TestScans.scan(src);
        ProjectScan.Binding b = s.bindingLayers().stream().filter(l -> l.name().equals("pybind11")).findFirst().orElseThrow();
        assertEquals("2.12.0", b.version());
        assertEquals("extern/pybind11", b.vendoredAt());
        assertEquals("absent", s.modules().getFirst().declaration());
    }
}
