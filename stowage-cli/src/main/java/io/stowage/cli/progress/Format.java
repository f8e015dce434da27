package io.stowage.cli.progress;

import io.stowage.storage.initializer.Units;
import java.util.Locale;

/** The short texts a progress display is made of. */
final class Format {
  private Format() {}

  static String bytes(long n) {
    return Units.bytes(Math.max(0, n));
  }

  static String rate(double bytesPerSecond) {
    return Units.bytes((long) bytesPerSecond) + "/s";
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  /** {@code 42s}, {@code 3m05s}, {@code 1h02m}; {@code --} when unknown. */
  static String duration(long seconds) {
    if (seconds < 0) {
      return "--";
    }
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** An ASCII bar of {@code width} cells, e.g. {@code [=======> ]}. */
  static String bar(double fraction, int width) {
    int inner = Math.max(1, width - 2);
    int filled = (int) Math.floor(fraction * inner);
    StringBuilder sb = new StringBuilder(width).append('[');
    for (int i = 0; i < inner; i++) {
      sb.append(i < filled ? '=' : i == filled && fraction < 1 ? '>' : ' ');
    }
    return sb.append(']').toString();
  }

  /** Shortens {@code s} to {@code width} columns, keeping its end (file names matter there). */
  static String fit(String s, int width) {
    if (s.length() <= width) {
      return s;
    }
    if (width <= 3) {
      return s.substring(s.length() - Math.max(0, width));
    }
    return "..." + s.substring(s.length() - (width - 3));
  }

  static String padRight(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
