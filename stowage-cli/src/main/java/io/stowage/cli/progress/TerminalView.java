package io.stowage.cli.progress;

import io.stowage.cli.Redactor;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A live display on a terminal: a header, an overall bar with bytes, rate, ETA and files, and one
 * bar per file in flight, redrawn in place with ANSI cursor movements. Notes scroll above it.
 */
final class TerminalView extends ProgressView {
  private static final int MAX_FILE_LINES = 6;
  private static final int DEFAULT_COLUMNS = 100;
  private static final String CLEAR_LINE = "\033[2K";
  private static final String CLEAR_BELOW = "\033[J";
  private static final String HIDE_CURSOR = "\033[?25l";
  private static final String SHOW_CURSOR = "\033[?25h";

  private final PrintStream err;
  private final int columns;
  private int drawn;
  private boolean closed;
  private final Thread restoreCursor;

  TerminalView(PrintStream err, Redactor redactor, int columns) {
    super(redactor);
    this.err = err;
    this.columns = Math.max(40, columns);
    // Ctrl-C during a transfer must not leave the terminal without a cursor.
    this.restoreCursor = new Thread(() -> err.print(SHOW_CURSOR), "stowage-restore-cursor");
    Runtime.getRuntime().addShutdownHook(restoreCursor);
  }

  /** The terminal's width: {@code COLUMNS}, else what {@code stty} says, else 100. */
  static int columns() {
    String env = System.getenv("COLUMNS");
    if (env != null) {
      try {
        return Integer.parseInt(env.strip());
      } catch (NumberFormatException e) {
        // Fall through to stty.
      }
    }
    try {
      Process p =
          new ProcessBuilder("stty", "size")
              .redirectInput(new File("/dev/tty"))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String size =
            new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        int space = size.lastIndexOf(' ');
        if (space > 0) {
          return Integer.parseInt(size.substring(space + 1));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // No terminal to ask.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_COLUMNS;
  }

  @Override
  Duration interval() {
    return Duration.ofMillis(200);
  }

  @Override
  public synchronized void info(String message) {
    note(message);
  }

  @Override
  public synchronized void warn(String message) {
    note("warning: " + message);
  }

  private void note(String message) {
    StringBuilder sb = new StringBuilder();
    erase(sb);
    sb.append(redactor.apply(message).replace('\n', ' ')).append('\n');
    drawn = 0;
    err.print(sb);
    err.flush();
  }

  @Override
  void started(String title) {
    err.print(HIDE_CURSOR);
    show(title, Snapshot.EMPTY, 0, -1);
  }

  @Override
  synchronized void show(String title, Snapshot s, double bytesPerSecond, long etaSeconds) {
    List<String> lines = new ArrayList<>();
    lines.add(Format.fit(title, columns - 1));
    String stats =
        " "
            + Format.padLeft(Format.percent(s.fraction()), 6)
            + "  "
            + Format.bytes(s.doneBytes())
            + " / "
            + Format.bytes(s.totalBytes())
            + "  "
            + Format.rate(bytesPerSecond)
            + "  ETA "
            + Format.duration(etaSeconds)
            + "  "
            + s.doneFiles()
            + "/"
            + s.totalFiles()
            + " "
            + s.unit();
    int barWidth = Math.max(10, Math.min(40, columns - 1 - stats.length() - 2));
    lines.add(Format.fit("  " + Format.bar(s.fraction(), barWidth) + stats, columns - 1));
    List<Snapshot.FileState> active = s.active();
    int shown = Math.min(MAX_FILE_LINES, active.size());
    for (int i = 0; i < shown; i++) {
      lines.add(fileLine(active.get(i)));
    }
    if (active.size() > shown) {
      lines.add("    ... and " + (active.size() - shown) + " more " + s.unit() + " in flight");
    }
    StringBuilder sb = new StringBuilder();
    erase(sb);
    for (String line : lines) {
      sb.append(CLEAR_LINE).append(redactor.apply(line)).append('\n');
    }
    drawn = lines.size();
    err.print(sb);
    err.flush();
  }

  private String fileLine(Snapshot.FileState f) {
    String amount =
        f.size() >= 0
            ? Format.bytes(f.done()) + " / " + Format.bytes(f.size())
            : Format.bytes(f.done());
    int barWidth = 22;
    int nameWidth = Math.max(10, columns - 1 - 4 - barWidth - 2 - 23);
    double fraction = f.size() > 0 ? Math.min(1.0, (double) f.done() / f.size()) : 0;
    return "    "
        + Format.padRight(Format.fit(f.name(), nameWidth), nameWidth)
        + "  "
        + (f.size() > 0 ? Format.bar(fraction, barWidth) : " ".repeat(barWidth))
        + " "
        + amount;
  }

  /** Moves the cursor back to the top of the display and clears it. */
  private void erase(StringBuilder sb) {
    if (drawn > 0) {
      sb.append("\033[").append(drawn).append('F').append(CLEAR_BELOW);
    }
  }

  /** The live display goes away; the command's own summary line says how it ended. */
  @Override
  synchronized void stopped(Snapshot last) {
    StringBuilder sb = new StringBuilder();
    erase(sb);
    drawn = 0;
    err.print(sb.append(SHOW_CURSOR));
    err.flush();
  }

  @Override
  public synchronized void close() {
    super.close();
    if (closed) {
      return;
    }
    closed = true;
    err.print(SHOW_CURSOR);
    err.flush();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreCursor);
    } catch (IllegalStateException e) {
      // Already shutting down.
    }
  }
}
