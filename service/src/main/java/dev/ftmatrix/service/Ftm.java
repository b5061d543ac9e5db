package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ftm} command. Exit codes: 0 ok, 1 the checked thing failed, 2 bad usage or input, 3 internal error. */
@Command(name = "ftm", mixinStandardHelpOptions = true, version = "ftm 0.1.0",
        description = "Tells Python extension maintainers whether their projects are ready for free-threaded CPython.",
        subcommands = {ToolchainCommand.class, ScanCommand.class, AbiCommand.class, CheckCommand.class,
                PatchCommand.class, RunCommand.class, DemoCommand.class, SiteCommand.class, ServeCommand.class,
                HarnessCommand.class, BenchCommand.class, StoreCommand.class, WorkerCommand.class, StatusCommand.class,
                WheelsCommand.class, DepsCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:the checked thing failed (a verdict in --fail-on)", "2:bad usage or input",
                "3:internal error (details in the log)"})
public final class Ftm {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL = 3;
    public static void main(String[] args) {
        Logs.toFile();   // before any logger exists: slf4j-simple reads where to write once
        Interrupts.install();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Ftm());
        cl.setExitCodeExceptionMapper(e -> e instanceof UserInputException ? BAD_INPUT : INTERNAL);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("ftm: " + ex.getMessage() + " (see: ftm help "
                    + ex.getCommandLine().getCommandName() + ")");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (Interrupts.interrupted()) {
                return 130;   // what the interrupt broke is no error of ftm's; the handler has said what happened
            }
            Throwable root = ex;
            while (!(root instanceof UserInputException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof UserInputException u) {
                commandLine.getErr().println("ftm: " + u.getMessage());
                return BAD_INPUT;
            }
            LoggerFactory.getLogger(Ftm.class).error("internal error", ex);
            commandLine.getErr().println("ftm: internal error: " + ex.toString().lines().findFirst().orElse("")
                    + " (details in " + Logs.where() + ")");
            return INTERNAL;
        });
        return cl.execute(args);
    }
}
