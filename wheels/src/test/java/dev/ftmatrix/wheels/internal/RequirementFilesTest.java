package dev.ftmatrix.wheels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.wheels.Requirement;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequirementFilesTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(RequirementFilesTest.class.getResource("/deps/" + name).toURI());
    }

    private static List<String> specs(List<Requirement> rs) {
        return rs.stream().map(Requirement::spec).toList();
    }

    @Test
    void requirementsTxtFollowsIncludesAndDropsOptionsHashesAndComments() throws Exception {
        List<Requirement> rs = RequirementFiles.read(resource("requirements.txt"));
        assertEquals(List.of("numpy>=2.1", "markupsafe==3.0.0", "pandas[performance]>=2.2; python_version >= \"3.10\""),
                specs(rs));
        assertEquals(4, rs.get(1).line());
        assertEquals("pandas", rs.get(2).name());
    }

    @Test
    void pyprojectGivesItsDependenciesAndEveryDependencyGroupButNotExtras() throws Exception {
        List<Requirement> rs = RequirementFiles.read(resource("pyproject.toml"));
        assertEquals(List.of("markupsafe>=3", "wrapt==1.17.0", "pytest>=8", "ruff"), specs(rs));
        assertEquals(6, rs.get(1).line());
    }

    @Test
    void uvLockGivesItsRegistryPinsWithTheMarkersOfTheirEdges() throws Exception {
        List<Requirement> rs = RequirementFiles.read(resource("uv/uv.lock"));
        assertTrue(rs.stream().noneMatch(r -> r.name().equals("lockdemo")), "the project itself is no dependency");
        Requirement colorama = rs.stream().filter(r -> r.name().equals("colorama")).findFirst().orElseThrow();
        assertEquals("(sys_platform == 'win32')", colorama.marker());
        Requirement pandas = rs.stream().filter(r -> r.name().equals("pandas")).findFirst().orElseThrow();
        assertEquals("2.2.3", pandas.pinned());
        assertEquals("", pandas.marker());
        assertTrue(specs(rs).contains("wrapt==1.17.0"), "dependency groups are locked too");
    }

    @Test
    void pylockGivesItsPackagesWithTheirMarkers() throws Exception {
        List<Requirement> rs = RequirementFiles.read(resource("pylock.toml"));
        assertEquals("sys_platform == 'win32'", rs.stream().filter(r -> r.name().equals("colorama")).findFirst()
                .orElseThrow().marker());
        assertTrue(specs(rs).contains("pandas==2.2.3"), specs(rs).toString());
    }

    @Test
    void poetryLockLeavesOutDirectorySources() throws Exception {
        List<Requirement> rs = RequirementFiles.read(resource("poetry.lock"));
        assertEquals(List.of("colorama==0.4.6", "markupsafe==3.0.0", "wrapt==1.17.0"), specs(rs));
        assertEquals("sys_platform == \"win32\"", rs.getFirst().marker());
    }

    @Test
    void anUnknownOrEmptyFileIsRefusedWithWhatToGive(@TempDir Path tmp) throws Exception {
        Path setup = Files.writeString(tmp.resolve("setup.cfg"), "[metadata]\n");
        UserInputException e = assertThrows(UserInputException.class, () -> RequirementFiles.read(setup));
        assertTrue(e.getMessage().contains("pylock.toml"), e.getMessage());
        Path empty = Files.writeString(tmp.resolve("requirements.txt"), "# nothing\n");
        assertThrows(UserInputException.class, () -> RequirementFiles.read(empty));
    }
}
