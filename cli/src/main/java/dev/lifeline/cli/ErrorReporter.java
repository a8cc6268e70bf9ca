package dev.lifeline.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns exceptions into one line for the user and an exit code. */
final class ErrorReporter implements IExecutionExceptionHandler {

  static boolean debug() {
    return "1".equals(System.getenv("LIFELINE_DEBUG")) || Boolean.getBoolean("lifeline.debug");
  }

  static int exitCodeOf(Throwable t) {
    if (t instanceof UserError userError) {
      return userError.exitCode();
    }
    if (t instanceof IllegalArgumentException) {
      return Lifeline.USAGE;
    }
    return Lifeline.FAILURE;
  }

  static int onUsageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    // One line: what was wrong, and where to read how it is done.
    String message = e.getMessage() == null ? "invalid command line" : e.getMessage();
    err.println(
        "lifeline: "
            + message.replaceAll("\\s+", " ").trim()
            + " (run '"
            + cmd.getCommandSpec().qualifiedName()
            + " --help' for usage)");
    return Lifeline.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    err.println("lifeline: " + describe(e));
    if (debug()) {
      e.printStackTrace(err);
    }
    return exitCodeOf(e);
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    if (t instanceof UserError || t instanceof IllegalArgumentException) {
      return message;
    }
    // An unexpected failure: name its type so a bug report is useful, and say how to get more.
    return t.getClass().getSimpleName()
        + (message == null ? "" : ": " + message)
        + " (run with LIFELINE_DEBUG=1 for the stack trace)";
  }
}
