package dev.ftmatrix.scanner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToxTestenvTest {
    @Test
    void pythonVersionFactorsBecomeMarkers() {
        assertEquals("python_version == \"3.13\"", ToxTestenv.factorMarker("py313"));
        assertEquals("python_version == \"3.13\"", ToxTestenv.factorMarker("py3.13t"));
        assertEquals("python_version != \"3.8\"", ToxTestenv.factorMarker("!py38"));
        assertEquals("python_version == \"3.12\" or python_version == \"3.13\"", ToxTestenv.factorMarker("py3{12,13}"));
        assertEquals("python_version == \"3.12\" or python_version == \"3.13\"", ToxTestenv.factorMarker("py312,py313"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"py3", "py", "!cov", "py3-!numpy", "lint,py3"})
    void factorsTheBaseEnvAlwaysHasMeanNoCondition(String factors) {
        assertEquals("", ToxTestenv.factorMarker(factors));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cov", "pypy3", "py313-numpy", "lint,docs", "!py3"})
    void factorsOfOtherEnvsLeaveTheLineOut(String factors) {
        assertNull(ToxTestenv.factorMarker(factors));
    }
}
