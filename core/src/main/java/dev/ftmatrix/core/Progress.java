package dev.ftmatrix.core;

/** Where long work reports what it is doing; the service prints it, tests may collect it. */
@FunctionalInterface
public interface Progress {
    /** One line of progress: {@code [cp313t] make (1234 lines)}. */
    void report(String line);

    Progress NONE = line -> { };
}
