package dev.ftmatrix.builder;

import java.util.List;

/**
 * One extension module of a wheel or a build, imported with {@code PYTHON_GIL} unset: in a fresh interpreter, or
 * after other modules of the wheel or build in one while the GIL was still off (see {@code import_probe.py}).
 *
 * @param gilEnabledAfterImport {@code sys._is_gil_enabled()} after the import; null when it did not finish
 * @param needsGil every module the interpreter loaded during this import that requires the GIL (its own and others);
 *     for a module an earlier import in a shared interpreter had loaded already, itself, as CPython named it then
 * @param warning CPython's RuntimeWarning about the GIL, when it gave one (it names only the first such module)
 */
public record ModuleImport(String module, boolean imported, String error, Boolean gilEnabledAfterImport,
                           List<String> needsGil, String warning) {
    public ModuleImport {
        needsGil = List.copyOf(needsGil);
        error = error == null ? "" : error;
        warning = warning == null ? "" : warning;
    }
}
