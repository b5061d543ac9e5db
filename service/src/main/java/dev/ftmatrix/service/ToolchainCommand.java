package dev.ftmatrix.service;

import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ftm toolchain list|install|use}. */
@Command(name = "toolchain", description = "Manage the CPython interpreters (toolchains) each variant runs on.",
        mixinStandardHelpOptions = true,
        subcommands = {ToolchainCommand.ListCmd.class, ToolchainCommand.Install.class, ToolchainCommand.Use.class})
final class ToolchainCommand {

    @Command(name = "list", description = "List installed toolchains.")
    static final class ListCmd implements Callable<Integer> {
        @Override
        public Integer call() {
            Toolchains tcs = new Toolchains(Toolchains.defaultCacheRoot(), new ConsoleProgress(System.err));
            List<Toolchain> all = tcs.list();
            for (String id : List.of("cp313", "cp313t", "cp314", "cp314t")) {
                Variant v = Variant.parse(id);
                String line = tcs.find(v).map(t -> t.fullVersion() + "  " + t.provider() + "  " + t.python())
                        .orElse("not installed (ftm toolchain install " + id + ", or ftm toolchain use --python PATH)");
                System.out.printf("%-7s %s%n", id, line);
            }
            all.stream().filter(t -> !List.of("cp313", "cp313t", "cp314", "cp314t").contains(t.variant().id()))
                    .forEach(t -> System.out.printf("%-7s %s  %s  %s%n", t.variant(), t.fullVersion(), t.provider(), t.python()));
            return Ftm.OK;
        }
    }

    @Command(name = "install", description = "Build toolchains from CPython source into the cache"
            + " (~/.cache/ftm/toolchains/<variant>-<source sha256>).")
    static final class Install implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "VARIANT", description = "cp313, cp313t, cp314, cp314t")
        List<String> variants;

        @Option(names = "--source", defaultValue = "debian", description = "debian (Debian's source package of"
                + " python3.X), a CPython source tarball, or its URL. Default: ${DEFAULT-VALUE}")
        String source;

        @Override
        public Integer call() {
            Toolchains tcs = new Toolchains(Toolchains.defaultCacheRoot(), new ConsoleProgress(System.err));
            List<Variant> vs = variants.stream().map(Variants::parse).toList();
            for (Variant v : vs) {
                Toolchain t = tcs.install(v, source);
                System.out.println(t.variant() + " " + t.fullVersion() + " " + t.python());
            }
            return Ftm.OK;
        }
    }

    @Command(name = "use", description = "Register an existing interpreter (validated) as its variant's toolchain.")
    static final class Use implements Callable<Integer> {
        @Option(names = "--python", required = true, paramLabel = "PATH",
                description = "the interpreter, e.g. /opt/python3.14t/bin/python3.14t")
        Path python;

        @Override
        public Integer call() {
            Toolchain t = new Toolchains(Toolchains.defaultCacheRoot(), new ConsoleProgress(System.err)).use(python);
            System.out.println("using " + t.label() + " at " + t.python() + " for " + t.variant());
            return Ftm.OK;
        }
    }
}
