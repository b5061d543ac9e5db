package dev.ftmatrix.core;

import java.util.List;
import java.util.Map;

/**
 * One project of a matrix: where its source is and how to run it.
 *
 * @param source {@code path:DIR}, {@code git+URL}, {@code pypi:NAME==VERSION}, or {@code fixture:NAME}
 * @param ref a branch, tag or commit for git sources; empty otherwise
 * @param testCommand pytest arguments that replace the default {@code tests}; empty for the default
 * @param threadUnsafe test ids the harness runs single-threaded only, besides those marked {@code thread_unsafe}
 */
public record ProjectSpec(String name, String source, String ref, String subdirectory, List<Variant> variants,
                          Map<String, String> env, List<String> testCommand, List<String> threadUnsafe) {
    public ProjectSpec(String name, String source, String ref, String subdirectory, List<Variant> variants,
                       Map<String, String> env, List<String> testCommand) {
        this(name, source, ref, subdirectory, variants, env, testCommand, List.of());
    }

    public ProjectSpec {
        ref = ref == null ? "" : ref;
        subdirectory = subdirectory == null ? "" : subdirectory;
        variants = List.copyOf(variants);
        env = Map.copyOf(env);
        testCommand = List.copyOf(testCommand);
        threadUnsafe = threadUnsafe == null ? List.of() : List.copyOf(threadUnsafe);
    }
}
