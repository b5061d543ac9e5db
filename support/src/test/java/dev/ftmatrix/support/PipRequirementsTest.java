package dev.ftmatrix.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ftmatrix.support.PipRequirements.Kind;
import dev.ftmatrix.support.PipRequirements.Line;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipRequirementsTest {
    @Test
    void eachLineIsARequirementAnIncludeOrAnEditableWithTheLineItStartsOn() {
        String text = """
                # the test requirements
                -r base.txt
                -rcython.txt
                --requirement = pure.txt
                --index-url https://example.org/simple
                -c constraints.txt
                -e ./subpackage
                --editable=git+https://example.org/x.git#egg=x
                markupsafe==3.0.0 \\
                    --hash=sha256:0123 \\
                    --hash=sha256:4567
                pytest>=8  # pinned
                numpy>=2.1; python_version >= "3.10" --config-settings editable_mode=compat
                file:.#egg=rpds-py
                """;
        assertEquals(List.of(
                new Line(Kind.INCLUDE, "base.txt", 2),
                new Line(Kind.INCLUDE, "cython.txt", 3),
                new Line(Kind.INCLUDE, "pure.txt", 4),
                new Line(Kind.EDITABLE, "./subpackage", 7),
                new Line(Kind.EDITABLE, "git+https://example.org/x.git#egg=x", 8),
                new Line(Kind.REQUIREMENT, "markupsafe==3.0.0", 9),
                new Line(Kind.REQUIREMENT, "pytest>=8", 12),
                new Line(Kind.REQUIREMENT, "numpy>=2.1; python_version >= \"3.10\"", 13),
                new Line(Kind.REQUIREMENT, "file:.#egg=rpds-py", 14)), PipRequirements.parse(text));
    }

    @Test
    void continuationsJoinAsPipJoinsThemAndACommentLineEndsOne() {
        String text = "numpy>=1.26,\\\r\n  <3\r\n# a comment \\\r\nwrapt\r\ncython \\\n# why\nmsgpack \\";
        assertEquals(List.of(
                new Line(Kind.REQUIREMENT, "numpy>=1.26, <3", 1),
                new Line(Kind.REQUIREMENT, "wrapt", 4),
                new Line(Kind.REQUIREMENT, "cython", 5),
                new Line(Kind.REQUIREMENT, "msgpack", 7)), PipRequirements.parse(text));
    }
}
