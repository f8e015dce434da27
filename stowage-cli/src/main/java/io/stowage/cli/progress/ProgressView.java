package io.stowage.cli.progress;

import io.stowage.cli.Redactor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where a model tool reports what it does: notes (one line each), structured events, and the live
 * progress of one transfer at a time. Every text passes through the redactor before it is printed.
 */
public abstract sealed class ProgressView implements AutoCloseable
    permits TerminalView, LineView, JsonView {

  /** How progress is shown. */
  public enum Mode {
    /** A live display when stderr is a terminal, plain lines otherwise. */
    AUTO,
    /** A live display, redrawn in place. */
    TERMINAL,
    /** A plain line at an interval, for logs and CI. */
    LINES,
    /** Notes only, no progress lines. */
    NONE
  }

  protected final Redactor redactor;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "stowage-progress-view");
            t.setDaemon(true);
            return t;
          });
  private final RateMeter rate = new RateMeter();
  private final long started = System.nanoTime();
  private @Nullable ScheduledFuture<?> tick;
  private @Nullable Supplier<Snapshot> source;
  private String title = "";

  ProgressView(Redactor redactor) {
    this.redactor = redactor;
  }

  /**
   * The view for a command's flags: JSON events on stdout when {@code json}, otherwise text on
   * stderr as {@code mode} says, with a progress line every {@code lineInterval} in lines mode.
   */
  public static ProgressView create(
      Mode mode,
      boolean json,
      Duration lineInterval,
      PrintStream out,
      PrintStream err,
      Redactor redactor) {
    if (json) {
      return new JsonView(out, redactor);
    }
    Mode m = mode == Mode.AUTO ? (isTerminal() ? Mode.TERMINAL : Mode.LINES) : mode;
    return switch (m) {
      case TERMINAL -> new TerminalView(err, redactor, TerminalView.columns());
      case LINES -> new LineView(err, redactor, lineInterval);
      default -> new LineView(err, redactor, Duration.ZERO);
    };
  }

  /**
   * Whether stderr, where the display is drawn, is a terminal. Java has no isatty; on Linux the
   * descriptor's link names the device ({@code System.console()} says nothing about stderr).
   */
  private static boolean isTerminal() {
    String term = System.getenv("TERM");
    if (term == null || term.equals("dumb")) {
      return false;
    }
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Something worth a line of its own. */
  public abstract void info(String message);

  public abstract void warn(String message);

  /** A structured event; only the JSON view prints it (the text views got a note). */
  public void event(String type, Map<String, ?> fields) {}

  /** Starts showing the progress of a transfer. */
  public final synchronized void track(String title, Supplier<Snapshot> source) {
    untrack();
    this.title = title;
    this.source = source;
    long every = interval().toMillis();
    if (every > 0) {
      tick = ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }
    started(title);
  }

  /** Stops showing progress, after a last update with the final state. */
  public final synchronized void untrack() {
    ScheduledFuture<?> t = tick;
    Supplier<Snapshot> s = source;
    if (t != null) {
      t.cancel(false);
      tick = null;
    }
    if (s != null) {
      source = null;
      stopped(s.get());
    }
  }

  private synchronized void tick() {
    Supplier<Snapshot> s = source;
    if (s == null) {
      return;
    }
    Snapshot snapshot = s.get();
    double perSecond = rate.sample(System.nanoTime(), snapshot.doneBytes());
    long eta = RateMeter.etaSeconds(snapshot.totalBytes() - snapshot.doneBytes(), perSecond);
    show(title, snapshot, perSecond, eta);
  }

  /** Seconds since the view was created. */
  protected final double elapsedSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** How often {@link #show} is called while tracking; zero for never. */
  abstract Duration interval();

  void started(String title) {}

  abstract void show(String title, Snapshot snapshot, double bytesPerSecond, long etaSeconds);

  void stopped(Snapshot last) {}

  @Override
  public void close() {
    untrack();
    ticker.shutdownNow();
  }
}
