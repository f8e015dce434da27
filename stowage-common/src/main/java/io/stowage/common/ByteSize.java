package io.stowage.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way a size is written in Stowage's settings and flags ({@code STOWAGE_PART_SIZE}, {@code
 * STOWAGE_ARCHIVE_MAX_BYTES}, {@code pack --max-layer-size}, ...): as Kubernetes writes quantities,
 * because these values sit in the same manifests as a container's {@code memory: 2Gi}. A suffix
 * with {@code i} is binary ({@code Ki}, {@code Mi}, {@code Gi}, {@code Ti}, {@code Pi}: powers of
 * 1024), one without is decimal ({@code k}, {@code M}, {@code G}, {@code T}, {@code P}: powers of
 * 1000), a plain number is bytes; a trailing {@code B} is allowed ({@code 64MiB}, {@code 10GB}).
 * Letters may be of either case (there is no milli-byte to confuse {@code m} with) and a space may
 * stand between number and unit.
 *
 * <p>Before this class the initializer's settings read {@code 32M} as 32 MiB while {@code pack}
 * read {@code 10G} as 10<sup>9</sup> bytes; now both read the decimal unit as decimal.
 */
public final class ByteSize {
  private static final Pattern SIZE =
      Pattern.compile("\\s*(\\d{1,19})\\s*(?:([kmgtp])(i?))?b?\\s*", Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /**
   * The number of bytes {@code text} stands for.
   *
   * @throws IllegalArgumentException when it is not a size of this grammar or does not fit a {@code
   *     long}; the message repeats none of the input, so that callers can word it with the
   *     setting's name
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size");
    }
    long number;
    try {
      number = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("too large", e);
    }
    String prefix = m.group(2);
    if (prefix == null) {
      return number;
    }
    int power = "kmgtp".indexOf(prefix.toLowerCase(Locale.ROOT)) + 1;
    long base = m.group(3).isEmpty() ? 1000 : 1024;
    long unit = 1;
    for (int i = 0; i < power; i++) {
      unit *= base;
    }
    try {
      return Math.multiplyExact(number, unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too large", e);
    }
  }
}
