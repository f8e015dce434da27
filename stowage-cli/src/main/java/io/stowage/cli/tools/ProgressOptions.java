package io.stowage.cli.tools;

import io.stowage.cli.Redactor;
import io.stowage.cli.progress.ProgressView;
import io.stowage.storage.settings.InitializerSettings;
import picocli.CommandLine.Option;

/**
 * How {@code push} and {@code pull} report while they run: {@code --progress} and {@code --json}.
 */
public final class ProgressOptions {
  @Option(names = "--json", description = "JSON Lines events on stdout instead of text.")
  boolean json;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto (a live display on a terminal, lines otherwise), terminal, lines or none.")
  ProgressView.Mode progress = ProgressView.Mode.AUTO;

  /** The view these options ask for, attached to {@code run} so failures reach it too. */
  ProgressView open(ToolRun run, InitializerSettings settings, Redactor redactor) {
    return run.attach(
        ProgressView.create(
            progress, json, settings.progressInterval(), System.out, System.err, redactor));
  }
}
