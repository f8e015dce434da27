package io.stowage.controller.logging;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One {@link StderrLogger} per name. The threshold is {@code STOWAGE_LOG_LEVEL} (or the {@code
 * stowage.log.level} property): {@code ERROR}, {@code WARN}, {@code INFO} (default), {@code DEBUG}.
 */
final class StderrLoggerFactory implements ILoggerFactory {
  private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
  private final Level threshold = threshold();

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new StderrLogger(n, threshold, System.err));
  }

  private static Level threshold() {
    String text = System.getProperty("stowage.log.level", System.getenv("STOWAGE_LOG_LEVEL"));
    if (text == null || text.isBlank()) {
      return Level.INFO;
    }
    try {
      return Level.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }
}
