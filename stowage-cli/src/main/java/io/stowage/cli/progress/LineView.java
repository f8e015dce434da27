package io.stowage.cli.progress;

import io.stowage.cli.Redactor;
import java.io.PrintStream;
import java.time.Duration;

/** Plain lines on stderr: notes as they come, and a progress line at an interval. */
final class LineView extends ProgressView {
  private final PrintStream err;
  private final Duration interval;

  LineView(PrintStream err, Redactor redactor, Duration interval) {
    super(redactor);
    this.err = err;
    this.interval = interval;
  }

  @Override
  Duration interval() {
    return interval;
  }

  @Override
  public synchronized void info(String message) {
    line(message);
  }

  @Override
  public synchronized void warn(String message) {
    line("warning: " + message);
  }

  private void line(String message) {
    err.println(redactor.apply(message).replace('\n', ' '));
    err.flush();
  }

  @Override
  synchronized void show(String title, Snapshot s, double bytesPerSecond, long etaSeconds) {
    line(
        "progress: "
            + Format.percent(s.fraction())
            + ", "
            + Format.bytes(s.doneBytes())
            + " of "
            + Format.bytes(s.totalBytes())
            + " at "
            + Format.rate(bytesPerSecond)
            + ", ETA "
            + Format.duration(etaSeconds)
            + ", "
            + s.doneFiles()
            + " of "
            + s.totalFiles()
            + " "
            + s.unit());
  }
}
