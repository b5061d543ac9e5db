package dev.ftmatrix.wheels;

import dev.ftmatrix.builder.ModuleImport;
import dev.ftmatrix.core.Finding;
import java.util.List;

/**
 * One release's published wheel on one variant.
 *
 * @param wheel the wheel an install picks; null for {@code no-wheel}
 * @param gilReenabledBy the wheel's own modules whose import turns the GIL back on, every one
 * @param gilReenabledByDependencies modules of other distributions that did so while the wheel's modules imported
 * @param failsOnGilBuildToo modules that did not import, nor did the same module of the release's wheel for the
 *     GIL build (an environment's missing library, a test module's undeclared dependency): not counted
 * @param findings the abi-checker's binary findings on the wheel against the variant
 * @param sandbox where the imports ran: {@code container} or {@code none}
 */
public record WheelResult(String variant, WheelVerdict verdict, String reason, PublishedWheel wheel,
                          List<ModuleImport> modules, List<String> gilReenabledBy,
                          List<String> gilReenabledByDependencies, List<String> failsOnGilBuildToo,
                          List<Finding> findings, Dependencies dependencies,
                          String sandbox, long millis) {
    public WheelResult {
        modules = List.copyOf(modules);
        gilReenabledBy = List.copyOf(gilReenabledBy);
        gilReenabledByDependencies = List.copyOf(gilReenabledByDependencies);
        failsOnGilBuildToo = List.copyOf(failsOnGilBuildToo);
        findings = List.copyOf(findings);
    }

    /** A result with no wheel looked at: {@code no-wheel} or {@code error}. */
    public static WheelResult without(String variant, WheelVerdict verdict, String reason, PublishedWheel wheel,
                                      long millis) {
        return new WheelResult(variant, verdict, reason, wheel, List.of(), List.of(), List.of(), List.of(), List.of(),
                new Dependencies(List.of(), ""), "", millis);
    }
}
