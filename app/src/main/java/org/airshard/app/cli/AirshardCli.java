package org.airshard.app.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import org.airshard.planner.io.InputException;
import org.airshard.planner.io.InputProblem;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code airshard} command line. Conventions for every command: {@code --help}; exit 0 on success,
 * 1 for bad input or failed checks, 2 for wrong usage; one clear line per problem on stderr and no stack
 * trace unless {@code --verbose}; machine output on stdout or {@code --out}; outputs written atomically.
 */
@Command(name = "airshard",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Plan, deploy and run LLM inference across edge devices with over-the-air all-reduce "
                + "and pipeline parallelism.", "", "Without a command, opens the desktop application."},
        subcommands = {
                GuiCommand.class,
                ValidateCommand.class,
                AnalyzeCommand.class,
                SolveAircompCommand.class,
                OptimizeCommand.class,
                PartitionCommand.class,
                SweepCommand.class,
                ReportCommand.class,
                GenerateCommand.class,
                AgentCommand.class,
                RunCommand.class,
                ModelCommand.class,
                CommandLine.HelpCommand.class
        })
public final class AirshardCli implements Runnable {

    /** Exit code the {@code gui} command returns so that {@code Main} does not call System.exit. */
    public static final int GUI_REQUESTED = -1;
    public static final int EXIT_OK = 0;
    public static final int EXIT_INPUT = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the configured command line writing to the given streams. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new AirshardCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("airshard: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            e.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            PrintWriter e = cmd.getErr();
            boolean verbose = parse.hasMatchedOption("--verbose")
                    || parse.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            if (ex instanceof InputException ie) {
                for (InputProblem p : ie.problems()) {
                    e.println("airshard: error: " + p);
                }
            } else if (ex instanceof java.io.IOException io) {
                e.println("airshard: error: " + io.getMessage());
            } else {
                e.println("airshard: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
            }
            if (verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return ex instanceof InputException || ex instanceof java.io.IOException ? EXIT_INPUT : 70;
        });
        return cl;
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
