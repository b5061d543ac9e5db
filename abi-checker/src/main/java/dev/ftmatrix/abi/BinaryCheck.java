package dev.ftmatrix.abi;

import dev.ftmatrix.core.HeaderDelta;
import dev.ftmatrix.abi.binary.Modules;
import dev.ftmatrix.abi.binary.Wheels;
import dev.ftmatrix.abi.headers.ElfSymbols;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks built extension modules and wheels against the toolchain they are meant for: the module's file suffix is
 * one the interpreter imports, the wheel's tags (file name, WHEEL, METADATA) agree and fit the build, every C-API
 * symbol a module imports is exported by that build's libpython, and none shows the module was built against the
 * other build's headers. {@code new BinaryCheck(cp313t).delta(d).check(path)}.
 */
public final class BinaryCheck {
    private final Toolchain target;
    private HeaderDelta delta;
    private Modules modules;

    public BinaryCheck(Toolchain target) {
        this.target = target;
    }

    /** With the delta of the target's version, modules built against the other build's headers are recognised. */
    public BinaryCheck delta(HeaderDelta d) {
        this.delta = d;
        return this;
    }

    public static List<RuleInfo> rules() {
        return Modules.rules();
    }

    /** Findings for a wheel, an extension module, or every wheel and module under a directory. */
    public List<Finding> check(Path path) {
        if (!Files.exists(path)) {
            throw new UserInputException("abi binary: " + path + " does not exist; give a wheel, an extension module or a directory");
        }
        List<Finding> out = new ArrayList<>();
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            files = List.of(path);
        }
        files = files.stream().filter(f -> f.getFileName().toString().endsWith(".whl")
                || Modules.isModule(f.getFileName().toString())).toList();
        if (files.isEmpty()) {
            // "0 findings" would read as a clean bill of health for something never looked at
            throw new UserInputException("abi binary: " + path + (Files.isDirectory(path) ? " holds" : " is")
                    + " no wheel (.whl) or extension module (.so, .pyd); nothing was checked: give one of those"
                    + " or a directory with them");
        }
        Modules m = modules();
        Wheels wheels = new Wheels(m, target.variant());
        Path base = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        for (Path f : files) {
            String shown = base.relativize(f.toAbsolutePath()).toString().replace('\\', '/');
            if (f.getFileName().toString().endsWith(".whl")) {
                out.addAll(wheels.check(f, shown));
            } else if (Modules.isModule(f.getFileName().toString())) {
                try {
                    out.addAll(m.check(f.getFileName().toString(), Files.readAllBytes(f), shown));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + f, e);
                }
            }
        }
        return out;
    }

    private Modules modules() {
        if (modules == null) {
            Set<String> exports = ElfSymbols.exported(target.libpython());
            Set<String> otherOnly = delta == null ? Set.of() : Set.copyOf(target.variant().freeThreaded()
                    ? delta.symbols().onlyGil() : delta.symbols().onlyFt());
            modules = new Modules(target.variant(), suffixes(), exports, otherOnly);
        }
        return modules;
    }

    /** The file suffixes the target interpreter imports extension modules from, asked from the interpreter itself. */
    private List<String> suffixes() {
        Processes.Run r = Processes.run(List.of(target.python().toString(), "-c",
                "import importlib.machinery as m; print(' '.join(m.EXTENSION_SUFFIXES))"),
                target.prefix(), target.variant().freeThreaded() ? Map.of("PYTHON_GIL", "0") : Map.of(), null, l -> { });
        if (!r.ok()) {
            throw new IllegalStateException(target.python() + " could not list its extension suffixes: " + r.tail(5));
        }
        return Arrays.asList(r.output().strip().split(" "));
    }
}
