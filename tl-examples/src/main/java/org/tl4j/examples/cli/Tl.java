package org.tl4j.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tl} command line.
 *
 * <p>Exit codes: 0 success, 1 the work failed (the message says why), 2 bad command-line usage.
 */
@Command(
        name = "tl",
        mixinStandardHelpOptions = true,
        version = "tl4j 0.1.0",
        description = "Transfer learning for the JVM: compare and apply transfer strategies.",
        subcommands = {
            CompareCommand.class,
            AdviseCommand.class,
            TuneCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Tl {

    /** Exit code when the work itself failed. */
    static final int FAILED = 1;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with messages and errors going to {@code err}. */
    static int run(PrintWriter err, String... args) {
        return new CommandLine(new Tl())
                .setErr(err)
                .setExecutionExceptionHandler(
                        (e, cmd, parsed) -> {
                            cmd.getErr().println("tl: " + e.getMessage());
                            return FAILED;
                        })
                .execute(args);
    }
}
