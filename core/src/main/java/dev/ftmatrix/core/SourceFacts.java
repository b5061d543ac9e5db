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
     * says so, where ({@code evidence}, {@code file:line}), and where the module is defined ({@code definedAt}).
     */
    public record DeclaredModule(String name, String bindingLayer, String declaration, String mechanism,
                                 String evidence, String definedAt) {
        public DeclaredModule {
            definedAt = definedAt == null ? "" : definedAt;
        }

        /** The file part of {@link #definedAt()}. */
        public String definedIn() {
            int colon = definedAt.lastIndexOf(':');
            return colon < 0 ? definedAt : definedAt.substring(0, colon);
        }
    }

    public static final SourceFacts UNKNOWN = new SourceFacts("", List.of(), null, List.of(), false);
}
