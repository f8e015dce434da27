package io.stowage.cli.tools;

import io.stowage.cli.Redactor;
import io.stowage.cli.progress.ProgressView;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every tool does around its work: settings from the environment and flags, a redactor for the
 * secrets among them, and a failure turned into one line on stderr (and an {@code error} event for
 * {@code --json}) with the initializer's exit code.
 */
final class ToolRun {
  private final String command;
  private final PrintStream err;
  private Redactor redactor = Redactor.none();
  private @Nullable ProgressView view;

  ToolRun(String command, PrintStream err) {
    this.command = command;
    this.err = err;
  }

  /** The tool's work; returns the exit code. */
  interface Body {
    int run(InitializerSettings settings, Redactor redactor);
  }

  int run(Map<String, String> environment, Body body) {
    try {
      InitializerSettings settings = InitializerSettings.fromEnvironment(environment);
      redactor = new Redactor(settings.secrets());
      return body.run(settings, redactor);
    } catch (StorageException e) {
      return fail(e.failure(), String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      return fail(Failure.INTERNAL, "unexpected error: " + e);
    }
  }

  /** Failures are also reported as a JSON event when this view prints JSON. */
  ProgressView attach(ProgressView v) {
    this.view = v;
    return v;
  }

  private int fail(Failure failure, String message) {
    String line = redactor.apply(message).replace('\n', ' ').replace('\r', ' ');
    ProgressView v = view;
    if (v != null) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("failure", failure.label());
      fields.put("exitCode", failure.exitCode());
      fields.put("message", line);
      v.event("error", fields);
      v.close();
    }
    err.println("stowage " + command + ": " + line);
    err.flush();
    return failure.exitCode();
  }
}
