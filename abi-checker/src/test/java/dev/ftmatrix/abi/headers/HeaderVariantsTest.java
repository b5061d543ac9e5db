package dev.ftmatrix.abi.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderVariantsTest {
    private static final String HEADER = """
            #ifndef Py_X_H
            #define Py_X_H
            #if defined(Py_GIL_DISABLED) && !defined(Py_LIMITED_API)
            #  define A 1
            #elif defined(Py_LIMITED_API)
            #  define A 2
            #else
            #  define A 3
            #endif
            #ifdef Py_GIL_DISABLED
            static inline int B(void) { return 1; }
            #endif
            #if defined(Py_LIMITED_API) && defined(Py_GIL_DISABLED)
            #  error "no limited API here"
            #endif
            #define C(x) \\
                (x)
            #endif
            """;

    @Test
    void eachBuildKeepsItsOwnBranchAndLineNumbers() {
        HeaderVariants v = new HeaderVariants(HEADER, HEADER);
        assertEquals(HEADER.split("\n", -1).length, v.ft().split("\n", -1).length);
        var ft = Definitions.of(v.ft());
        var gil = Definitions.of(v.gil());
        assertTrue(ft.get("macro:A").text().contains("A 1"), ft.toString());
        assertFalse(ft.get("macro:A").text().contains("A 3"), "unreachable with Py_GIL_DISABLED: " + ft);
        assertTrue(gil.get("macro:A").text().contains("A 3"), gil.toString());
        assertFalse(gil.get("macro:A").text().contains("A 1"), gil.toString());
        assertEquals(11, ft.get("inline:B").line());
        assertFalse(gil.containsKey("inline:B"));
        assertEquals(ft.get("macro:C"), gil.get("macro:C"));
        assertEquals("#define C(x) (x)", gil.get("macro:C").text());
    }

    @Test
    void errorGuardsInvolvingTheFreeThreadedBuildAreReported() {
        List<HeaderVariants.Guard> g = new HeaderVariants(HEADER, HEADER).guards();
        assertEquals(1, g.size());
        assertEquals(14, g.getFirst().line());
        assertEquals("defined(Py_LIMITED_API) && defined(Py_GIL_DISABLED)", g.getFirst().condition());
        assertEquals("\"no limited API here\"", g.getFirst().message());
    }

    @Test
    void aChainLikePyDecrefKeepsOnlyTheBranchesEachBuildCanReach() {
        String chain = """
                #if defined(Py_LIMITED_API) && (Py_LIMITED_API+0 >= 0x030c0000 || defined(Py_REF_DEBUG))
                #  define D 1
                #elif defined(Py_GIL_DISABLED) && defined(Py_REF_DEBUG)
                #  define D 2
                #elif defined(Py_GIL_DISABLED)
                #  define D 3
                #elif defined(Py_REF_DEBUG)
                #  define D 4
                #else
                #  define D 5
                #endif
                """;
        HeaderVariants v = new HeaderVariants(chain, chain);
        assertEquals("# define D 1 | # define D 2 | # define D 3", Definitions.of(v.ft()).get("macro:D").text());
        assertEquals("# define D 1 | # define D 4 | # define D 5", Definitions.of(v.gil()).get("macro:D").text());
    }

    @Test
    void conditionsAreBooleanOverAtoms() {
        assertEquals(java.util.Set.of("Py_LIMITED_API", "Py_GIL_DISABLED"),
                Condition.atoms("defined(Py_LIMITED_API) && defined(Py_GIL_DISABLED)"));
        assertEquals(java.util.Set.of("Py_GIL_DISABLED", "FOO > 3"), Condition.atoms("!defined Py_GIL_DISABLED || FOO > 3"));
        assertTrue(Condition.eval("!defined Py_GIL_DISABLED || FOO > 3", a -> a.equals("FOO > 3")));
        assertFalse(Condition.eval("#if 0".substring(4), a -> true));
    }
}
