package dev.ftmatrix.scanner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetupPyRequirementsTest {
    @Test
    void dictCallsConcatenationAndChainedNamesAreRead() {
        SetupPyRequirements r = SetupPyRequirements.read("""
                base = ["pytest"]
                more = base
                kwargs = dict(
                    extras_require=dict(test=more + ["hypothesis", r"pytest-xdist"], docs=["sphinx"]),
                )
                setup(**kwargs)
                """);
        assertEquals(Map.of("test", List.of("pytest", "hypothesis", "pytest-xdist"), "docs", List.of("sphinx")),
                r.extras());
    }

    @Test
    void computedValuesAreLeftOutNotGuessed() {
        SetupPyRequirements r = SetupPyRequirements.read("""
                setup(
                    tests_require=[r.strip() for r in open("requirements-test.txt")],
                    extras_require={"test": ["pytest", get_numpy()], "all": list(extras)},
                )
                """);
        assertEquals(List.of(), r.testsRequire());
        assertEquals(List.of("pytest"), r.extras().get("test"));
    }

    @Test
    void aNameIsFollowedToItsLastAssignmentBeforeTheUse() {
        SetupPyRequirements r = SetupPyRequirements.read("""
                tests = ["nose"]
                tests = ["pytest"]
                setup(tests_require=tests)
                tests = ["unused"]
                """);
        assertEquals(List.of("pytest"), r.testsRequire());
    }
}
