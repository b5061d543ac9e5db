package dev.ftmatrix.wheels.internal;

import dev.ftmatrix.abi.binary.Modules;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.wheels.Dependencies;
import dev.ftmatrix.builder.ModuleImport;
import dev.ftmatrix.wheels.WheelVerdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The verdict on a wheel from what was found: its binaries' fit to the tag, the imports, the GIL after each. */
public final class Verdicts {
    /** Findings that say the binaries do not fit the tag (the rest, such as a missing symbol, show in the imports). */
    private static final Set<String> TAG_RULES = Set.of(Modules.SUFFIX, Modules.OTHER_BUILD, "wheel-tag");

    private Verdicts() {
    }

    /** A verdict, its one-line reason, and who turned the GIL back on (the wheel's modules, the others). */
    public record Judged(WheelVerdict verdict, String reason, List<String> reenabledBy, List<String> byDependencies) {
    }

    public static Judged judge(Variant v, List<String> modules, List<ModuleImport> imports, List<Finding> findings,
                               Dependencies deps) {
        return judge(v, modules, imports, findings, deps, Set.of());
    }

    /** @param alsoOnGil modules whose import fails on the release's GIL-build wheel too: not counted */
    public static Judged judge(Variant v, List<String> modules, List<ModuleImport> imports, List<Finding> findings,
                               Dependencies deps, Set<String> alsoOnGil) {
        Set<String> own = Set.copyOf(modules);
        TreeSet<String> byOwn = new TreeSet<>();
        TreeSet<String> byOthers = new TreeSet<>();
        List<String> failed = new ArrayList<>();
        for (ModuleImport m : imports) {
            if (!m.imported() && !alsoOnGil.contains(m.module())) {
                failed.add(m.module());
            }
            for (String n : m.needsGil()) {
                (own.contains(n) ? byOwn : byOthers).add(n);
            }
            if (m.imported() && Boolean.TRUE.equals(m.gilEnabledAfterImport()) && v.freeThreaded()
                    && m.needsGil().isEmpty()) {
                byOwn.add(m.module());   // the GIL is on and the interpreter named nobody: the import did it
            }
        }
        List<String> reenabledBy = List.copyOf(byOwn);
        List<String> others = List.copyOf(byOthers);
        Set<String> imported = new HashSet<>();
        imports.stream().filter(ModuleImport::imported).forEach(m -> imported.add(m.module()));
        List<Finding> tag = findings.stream()
                .filter(f -> f.severity() == Finding.Severity.ERROR && TAG_RULES.contains(f.rule()))
                .filter(f -> !strayCopy(f, imported)).toList();
        if (!tag.isEmpty()) {
            return new Judged(WheelVerdict.WHEEL_MISTAGGED, tag.getFirst().why()
                    + (tag.size() > 1 ? " (and " + (tag.size() - 1) + " more)" : ""), reenabledBy, others);
        }
        String notCounted = alsoOnGil.isEmpty() ? "" : "; not counted, as they do not import from the GIL build's wheel"
                + " either: " + String.join(", ", new TreeSet<>(alsoOnGil));
        if (!alsoOnGil.isEmpty() && alsoOnGil.containsAll(modules)) {
            String error = oneLine(imports.getFirst().error());
            if (imports.stream().anyMatch(m -> m.error().contains("cannot open shared object file"))) {
                // a library neither wheel ships: this machine's lack, as far as anyone can tell from here
                return new Judged(WheelVerdict.ERROR, "no extension module could be checked: none imports here, from"
                        + " this wheel or the GIL build's (" + error + ")", reenabledBy, others);
            }
            return new Judged(WheelVerdict.WHEEL_IMPORT_FAILS, "no extension module imports, from this wheel or the"
                    + " GIL build's (so not a free-threading failure): " + imports.getFirst().module() + ": " + error,
                    reenabledBy, others);
        }
        List<ModuleImport> stopped = imports.stream().filter(m -> failed.contains(m.module()) && stoppedHere(m)).toList();
        if (!stopped.isEmpty()) {
            return new Judged(WheelVerdict.ERROR, stopped.getFirst().module() + ": " + stopped.getFirst().error()
                    + " (stopped by this machine's deadline or memory limit, not a failure of the wheel; rerun)",
                    reenabledBy, others);
        }
        if (!failed.isEmpty()) {
            ModuleImport first = imports.stream().filter(m -> failed.contains(m.module())).findFirst().orElseThrow();
            if (!deps.complete()) {
                // the import may need what could not be installed: not the project's failure to claim
                return new Judged(WheelVerdict.ERROR, failed.size() + " of " + modules.size() + " modules did not import ("
                        + first.module() + ": " + first.error() + "), but " + deps.problem(), reenabledBy, others);
            }
            return new Judged(WheelVerdict.WHEEL_IMPORT_FAILS, failed.size() + " of " + modules.size()
                    + " extension modules do not import: " + first.module() + ": " + oneLine(first.error())
                    + (failed.size() > 1 ? "; also " + String.join(", ", failed.subList(1, Math.min(failed.size(), 6)))
                    + (failed.size() > 6 ? ", ..." : "") : "") + notCounted, reenabledBy, others);
        }
        if (v.freeThreaded() && !reenabledBy.isEmpty()) {
            return new Judged(WheelVerdict.WHEEL_REENABLES_GIL, "importing " + reenabledBy.size() + " of "
                    + modules.size() + " extension modules turns the GIL back on: " + String.join(", ", reenabledBy)
                    + notCounted, reenabledBy, others);
        }
        int checked = modules.size() - alsoOnGil.size();
        String ok = modules.isEmpty() ? "no extension module to import: nothing of its own can turn the GIL on"
                : (alsoOnGil.isEmpty() ? "all " + checked : checked + " of " + modules.size()) + " extension modules import"
                + (v.freeThreaded() ? " and the GIL stays off" : "") + notCounted;
        if (v.freeThreaded() && !others.isEmpty()) {
            ok += "; its dependencies' " + String.join(", ", others) + " turn it on";
        }
        return new Judged(WheelVerdict.WHEEL_READY, ok, reenabledBy, others);
    }

    /**
     * A module file named for another interpreter beside the variant's own copy of the same module (pymongo's cp313t
     * wheel carries {@code _cbson.cpython-310-...so} to {@code -313t}): the variant never loads it.
     */
    private static boolean strayCopy(Finding f, Set<String> imported) {
        if (!f.rule().equals(Modules.SUFFIX) || !f.file().contains("!/")) {
            return false;
        }
        String module = WheelFiles.moduleName(f.file().substring(f.file().indexOf("!/") + 2));
        return module != null && imported.contains(module);
    }

    /** The probe's deadline or a SIGKILL (the sandbox's memory limit): ftm's limits, not the wheel's failure. */
    private static boolean stoppedHere(ModuleImport m) {
        return m.error().startsWith("import did not finish in") || m.error().contains("ended with signal 9");
    }

    private static String oneLine(String s) {
        String l = s.lines().reduce((a, b) -> b).orElse("");
        return l.length() > 300 ? l.substring(0, 300) + "..." : l;
    }
}
