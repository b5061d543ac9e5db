package dev.ftmatrix.core;

import java.util.List;

/**
 * What reading a project's source told, before any build: how it builds, its binding layers, and what each
 * extension module declares about the GIL.
 *
 * @param bindingLayers {@code c-api}, {@code cython 3.0.11}, {@code pybind11 2.12.0 (vendored)}, ...
 * @param declaresFreeThreading true when every extension module declares the GIL unused, false when one does not,
 *     null when unknown
 */
public record SourceFacts(String buildBackend, List<String> bindingLayers, Boolean declaresFreeThreading,
                          List<DeclaredModule> modules, boolean limitedApi) {
    public SourceFacts {
        buildBackend = buildBackend == null ? "" : buildBackend;
        bindingLayers = bindingLayers == null ? List.of() : List.copyOf(bindingLayers);
        modules = modules == null ? List.of() : List.copyOf(modules);
    }

    /**
     * One extension module's declaration: {@code not-used} | {@code used} | {@code absent} | {@code unknown}, how it
     * says so, and where ({@code file:line}).
     */
    public record DeclaredModule(String name, String bindingLayer, String declaration, String mechanism,
                                 String evidence) {
    }

    public static final SourceFacts UNKNOWN = new SourceFacts("", List.of(), null, List.of(), false);
}
