package dev.ftmatrix.builder;

import java.util.Map;

/** What a patch of one pinned binding layer did: the version it set, {@code how} for people, {@code env} for the build. */
public record Patch(String to, String how, Map<String, String> env) {
    public Patch {
        env = Map.copyOf(env);
    }
}
