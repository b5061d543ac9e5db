package dev.ftmatrix.wheels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.UserInputException;
import org.junit.jupiter.api.Test;

class ReleaseTest {
    @Test
    void aReleaseIsNamedWithOrWithoutItsVersion() {
        assertEquals(new Release("pandas", "2.2.3"), Release.parse("pypi:pandas==2.2.3"));
        assertTrue(Release.parse("pypi:zope.interface").latest());
    }

    @Test
    void anythingElseIsRefusedWithTheForm() {
        UserInputException e = assertThrows(UserInputException.class, () -> Release.parse("pandas>=2"));
        assertTrue(e.getMessage().contains("pypi:NAME==VERSION"), e.getMessage());
    }
}
