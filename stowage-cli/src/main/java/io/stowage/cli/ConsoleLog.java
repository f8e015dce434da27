package io.stowage.cli;

import io.stowage.storage.initializer.InitializerLog;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Log lines on stderr in KServe's layout ({@code <date time.ms> <pid> <logger> <LEVEL> <msg>}), one
 * line per event, every line passed through the redactor.
 */
public final class ConsoleLog implements InitializerLog {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final PrintStream out;
  private final String logger;
  private final long pid = ProcessHandle.current().pid();
  private volatile Redactor redactor = Redactor.none();

  public ConsoleLog(PrintStream out, String logger) {
    this.out = out;
    this.logger = logger;
  }

  public void redactWith(Redactor r) {
    this.redactor = r;
  }

  @Override
  public void info(String message) {
    line("INFO", message);
  }

  @Override
  public void warn(String message) {
    line("WARNING", message);
  }

  public void error(String message) {
    line("ERROR", message);
  }

  public String redact(String text) {
    return redactor.apply(text);
  }

  /** A line without the log prefix: the termination message. */
  public void bare(String message) {
    synchronized (out) {
      out.println(oneLine(redactor.apply(message)));
      out.flush();
    }
  }

  private void line(String level, String message) {
    String text =
        TIME.format(LocalDateTime.now(java.time.ZoneId.systemDefault()))
            + " "
            + pid
            + " "
            + logger
            + " "
            + level
            + " "
            + oneLine(message);
    synchronized (out) {
      out.println(redactor.apply(text));
      out.flush();
    }
  }

  static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
