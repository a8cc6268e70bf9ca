package dev.lifeline.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lifeline} command.
 *
 * <p>Exit codes are the same for every subcommand: 0 success, 1 failure (or, for checks,
 * unhealthy), 2 usage error. A user mistake prints one line that says what was wrong and what to
 * do, never a stack trace; {@code --debug} (or {@code LIFELINE_DEBUG=1}) adds the stack trace for
 * bug reports.
 */
@Command(
    name = "lifeline",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Keeps Kubernetes clients and nodes connected to a healthy control plane.",
    subcommands = {DemoCommand.class, DnscheckCommand.class, CommandLine.HelpCommand.class})
public final class Lifeline {

  /** Exit code for a usage error: a bad flag, value or file. */
  public static final int USAGE = 2;

  /** Exit code for a failure at run time, or an unhealthy result of a check. */
  public static final int FAILURE = 1;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns the exit code; the entry point tests use. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Lifeline());
    cli.setExitCodeExceptionMapper(ErrorReporter::exitCodeOf);
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(ErrorReporter::onUsageError);
    cli.getCommandSpec().exitCodeOnInvalidInput(USAGE);
    cli.getCommandSpec().exitCodeOnExecutionException(FAILURE);
    return cli;
  }
}
