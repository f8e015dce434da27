package io.stowage.controller.logging;

import java.io.PrintStream;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** {@code <RFC 3339 time> <LEVEL> <logger> <message>}, a stack trace's first line appended. */
final class StderrLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private final Level threshold;
  private final transient PrintStream out;

  StderrLogger(String name, Level threshold, PrintStream out) {
    this.name = name;
    this.threshold = threshold;
    this.out = out;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= threshold.toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected @Nullable String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level,
      @Nullable Marker marker,
      String messagePattern,
      @Nullable Object @Nullable [] arguments,
      @Nullable Throwable throwable) {
    String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
    StringBuilder line = new StringBuilder(128);
    line.append(Instant.now()).append(' ').append(level).append(' ').append(shortName());
    line.append(' ').append(message == null ? "" : message.replace('\n', ' '));
    if (throwable != null) {
      line.append(": ").append(throwable);
    }
    out.println(line);
  }

  private String shortName() {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }
}
