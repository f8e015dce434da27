package io.stowage.cli;

import io.stowage.cli.quickstart.QuickstartCommand;
import io.stowage.storage.Failure;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code stowage} binary. */
@Command(
    name = "stowage",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Model weights from storage to the serving pod: fast, verified, restart-safe.",
    subcommands = {
      InitializeCommand.class,
      io.stowage.cli.pack.PackCommand.class,
      QuickstartCommand.class,
      io.stowage.cli.render.RenderCommand.class,
      io.stowage.cli.controller.ControllerCommand.class,
      io.stowage.cli.tools.PushCommand.class,
      io.stowage.cli.tools.PullCommand.class,
      io.stowage.cli.tools.LsCommand.class,
      io.stowage.cli.tools.VerifyCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the process exit code. */
  public static int run(String... args) {
    if (isPlainInitialize(args)) {
      // The init container's path: KServe's fixed positional contract, parsed without picocli's
      // reflection, which costs a tenth of a second of start-up on every pod.
      return new InitializeCommand(System.getenv(), List.of(args).subList(1, args.length)).call();
    }
    CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExitCodeExceptionMapper(e -> Failure.INTERNAL.exitCode());
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println(e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return Failure.USAGE.exitCode();
        });
    return cli.execute(args);
  }

  private static boolean isPlainInitialize(String[] args) {
    if (args.length == 0 || !args[0].equals("initialize")) {
      return false;
    }
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("-")) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }
}
