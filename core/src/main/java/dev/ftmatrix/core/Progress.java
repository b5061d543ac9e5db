package dev.ftmatrix.core;

/**
 * Where long work reports what it is doing; the service prints it, {@code ftm serve} follows it, tests may collect
 * it. Lines are for people; the typed events ({@link #projectStarted}) are for whoever counts.
 */
@FunctionalInterface
public interface Progress {
    /** One line of progress: {@code [cp313t] make (1234 lines)}. */
    void report(String line);

    /** Project {@code index} (from 1) of the {@code total} of a matrix run starts; by default its line, {@code (2/3) ft-racy}. */
    default void projectStarted(int index, int total, String project) {
        report("(" + index + "/" + total + ") " + project);
    }

    /** Every event to {@code first}, then to {@code second}. */
    static Progress both(Progress first, Progress second) {
        return new Progress() {
            @Override
            public void report(String line) {
                first.report(line);
                second.report(line);
            }

            @Override
            public void projectStarted(int index, int total, String project) {
                first.projectStarted(index, total, project);
                second.projectStarted(index, total, project);
            }
        };
    }

    Progress NONE = line -> { };
}
