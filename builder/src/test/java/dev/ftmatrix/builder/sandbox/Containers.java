package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.builder.SandboxLimits;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The container sandbox for tests: required when scripts/test brought Docker up (FTM_REQUIRE_DOCKER=1). */
final class Containers {
    private Containers() {
    }

    static ContainerSandbox sandbox(SandboxLimits limits) {
        ContainerSandbox.Availability a = ContainerSandbox.availability();
        if ("1".equals(System.getenv("FTM_REQUIRE_DOCKER"))) {
            assertTrue(a.available(), "FTM_REQUIRE_DOCKER=1 but: " + a.reason());
        } else {
            assumeTrue(a.available(), "no container sandbox (set FTM_REQUIRE_DOCKER=1 to fail instead): " + a.reason());
        }
        return new ContainerSandbox(a.image(), limits);
    }
}
