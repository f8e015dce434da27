package io.stowage.cli;

import io.stowage.oci.pull.InitializerImageFetcher;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.initializer.Deployed;
import io.stowage.storage.initializer.DeploymentSummary;
import io.stowage.storage.initializer.Pair;
import io.stowage.storage.initializer.StorageInitializer;
import io.stowage.storage.settings.InitializerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code stowage initialize SRC DEST [SRC DEST ...]}: KServe's storage-initializer contract. Logs
 * go to stderr; on failure the last line is the reason, which is also written to the container's
 * termination-message file, and the exit code tells the failure class. On success that file gets
 * the {@link DeploymentSummary} of what was put in place, which the controller shows in the status.
 */
@Command(
    name = "initialize",
    description = {
      "Download models into local directories, as KServe's storage initializer does.",
      "Settings come from the environment (AWS_*, S3_*, STORAGE_*, STOWAGE_*); see the README."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage or invalid setting",
      "3:authentication or permission",
      "4:bucket, prefix or model not found",
      "5:network (unreachable, timeouts, retries exhausted, deadline)",
      "6:integrity (size or checksum mismatch, object changed)",
      "7:disk (no space, permissions, I/O)",
      "8:unsafe source (a key would land outside the destination)"
    })
final class InitializeCommand implements Callable<Integer> {
  static final String TERMINATION_LOG = "/dev/termination-log";
  private static final int MAX_TERMINATION_MESSAGE = 4096;

  @Parameters(
      arity = "0..*",
      paramLabel = "SRC DEST",
      description = "Pairs of source URI and destination directory.")
  List<String> arguments = new ArrayList<>();

  private final Map<String, String> environment;
  private final ConsoleLog log = new ConsoleLog(System.err, "stowage.initializer");

  InitializeCommand() {
    this(System.getenv());
  }

  InitializeCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  InitializeCommand(Map<String, String> environment, List<String> arguments) {
    this.environment = environment;
    this.arguments = new ArrayList<>(arguments);
  }

  @Override
  public Integer call() {
    try {
      List<Pair> pairs = Pair.fromArguments(arguments);
      InitializerSettings settings = InitializerSettings.fromEnvironment(environment);
      log.redactWith(new Redactor(settings.secrets()));
      List<Deployed> deployed =
          new StorageInitializer(settings, log, new InitializerImageFetcher(environment), null)
              .run(pairs);
      writeTerminationMessage(DeploymentSummary.json(deployed));
      return 0;
    } catch (StorageException e) {
      return fail(e.failure(), String.valueOf(e.getMessage()));
    } catch (RuntimeException | Error e) {
      return fail(Failure.INTERNAL, "Unexpected error during storage initialization: " + e);
    }
  }

  private int fail(Failure failure, String reason) {
    log.error(
        "Storage initialization failed ("
            + failure.label()
            + ", exit code "
            + failure.exitCode()
            + "):");
    log.bare(reason);
    writeTerminationMessage(reason);
    return failure.exitCode();
  }

  /**
   * Kubernetes shows this file's content as the container's termination message (the reason of a
   * failure, the summary of a success); writing the one line keeps progress lines out of it (with
   * FallbackToLogsOnError it would take the log's tail).
   */
  private void writeTerminationMessage(String line) {
    String configured = environment.get("STOWAGE_TERMINATION_LOG");
    Path path = Path.of(configured == null || configured.isBlank() ? TERMINATION_LOG : configured);
    if (configured == null && !Files.isWritable(path)) {
      return;
    }
    byte[] bytes = ConsoleLog.oneLine(log.redact(line)).getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_TERMINATION_MESSAGE) {
      bytes = java.util.Arrays.copyOf(bytes, MAX_TERMINATION_MESSAGE);
    }
    try {
      Files.write(path, bytes);
    } catch (IOException e) {
      log.warn("Cannot write the termination message to " + path + ": " + e.getMessage());
    }
  }
}
