package io.stowage.cli.pack;

import io.stowage.storage.StorageException;
import java.util.Locale;

/** Sizes as the initializer's settings spell them: {@code 16Mi}, {@code 10G}, {@code 4096}. */
final class Sizes {
  private Sizes() {}

  static long parse(String option, String text) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    long unit = 1;
    String[][] units = {
      {"ki", "1024"}, {"mi", "1048576"}, {"gi", "1073741824"}, {"ti", "1099511627776"},
      {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"t", "1000000000000"}
    };
    for (String[] u : units) {
      if (lower.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        s = s.substring(0, s.length() - u[0].length()).strip();
        break;
      }
    }
    try {
      long v = Long.parseLong(s);
      if (v <= 0 || v > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return v * unit;
    } catch (NumberFormatException e) {
      throw StorageException.usage(
          option + " must be a positive size such as 16Mi, not '" + text + "'");
    }
  }
}
