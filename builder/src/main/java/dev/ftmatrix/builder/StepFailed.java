package dev.ftmatrix.builder;

import dev.ftmatrix.support.Processes;

/** A step of a variant run that failed, with the reason for people and the end of its output. */
public final class StepFailed extends Exception {
    private final transient Processes.Run run;

    public StepFailed(String reason, Processes.Run run) {
        super(reason);
        this.run = run;
    }

    public String tail() {
        return run == null ? "" : run.tail(40);
    }
}
