package dev.ftmatrix.core;

import java.util.List;

/** Whether the project built for a variant; {@code reason} says why not, {@code logTail} shows the end of the log. */
public record BuildResult(boolean ok, String reason, List<String> wheels, String logTail, long millis) {
    public BuildResult {
        reason = reason == null ? "" : reason;
        wheels = List.copyOf(wheels);
        logTail = logTail == null ? "" : logTail;
    }

    public static BuildResult failed(String reason, String logTail, long millis) {
        return new BuildResult(false, reason, List.of(), logTail, millis);
    }
}
