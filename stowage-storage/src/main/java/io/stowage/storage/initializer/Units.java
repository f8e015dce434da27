package io.stowage.storage.initializer;

import java.util.Locale;

/** Human-readable sizes and rates for log lines. */
public final class Units {
  private Units() {}

  /** {@code 1.50 GiB}, {@code 512 B}. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
  }

  /** Bytes per second over {@code nanos}. */
  public static String rate(long bytes, long nanos) {
    if (nanos <= 0) {
      return "-";
    }
    return bytes((long) (bytes / (nanos / 1e9))) + "/s";
  }
}
