package io.stowage.storage.settings;

import io.stowage.common.ByteSize;
import io.stowage.storage.StorageException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of environment variables. A malformed value fails with a message naming the variable;
 * values are only echoed for settings that cannot be secret.
 */
final class Env {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> values;

  Env(Map<String, String> values) {
    this.values = new HashMap<>(values);
  }

  /** A copy with {@code overrides} applied on top. */
  Env with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Env(merged);
  }

  /** The trimmed value, empty when unset or blank. */
  Optional<String> get(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.strip());
  }

  /** Those of {@code names} that are set, with their trimmed values. */
  Map<String, String> only(String... names) {
    Map<String, String> set = new HashMap<>();
    for (String name : names) {
      get(name).ifPresent(v -> set.put(name, v));
    }
    return set;
  }

  /** The first of the names that is set. */
  Optional<String> first(String... names) {
    for (String name : names) {
      Optional<String> v = get(name);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  /** KServe's convention: only {@code true} (any case) is true. */
  boolean isTrue(String name) {
    return get(name).map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  /** {@code true/false/1/0/yes/no}; anything else is an error. */
  boolean flag(String name, boolean fallback) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw StorageException.usage(name + " must be true or false, not '" + v.get() + "'");
    };
  }

  int positiveInt(String name, int fallback, int max) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw StorageException.usage(
        name + " must be a whole number from 1 to " + max + ", not '" + v.get() + "'");
  }

  /** A positive decimal number, or {@code off} for no limit (infinity). */
  double positiveOrOff(String name, double fallback) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    if (v.get().equalsIgnoreCase("off")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double d = Double.parseDouble(v.get());
      if (d > 0 && !Double.isNaN(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw StorageException.usage(
        name + " must be a positive number or 'off', not '" + v.get() + "'");
  }

  /**
   * A size such as {@code 33554432}, {@code 32Mi} (binary) or {@code 32M} (decimal), read as {@link
   * ByteSize} reads every size.
   */
  long size(String name, long fallback) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return ByteSize.parse(v.get());
    } catch (IllegalArgumentException e) {
      throw StorageException.usage(
          name + " must be a size such as 33554432, 32Mi or 32M (10^6), not '" + v.get() + "'");
    }
  }

  /** A duration such as {@code 90} (seconds), {@code 90s}, {@code 30m} or {@code 2h}. */
  Optional<Duration> duration(String name) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(v.get());
    if (!m.matches()) {
      throw StorageException.usage(
          name + " must be a duration such as 90s, 30m or 2h, not '" + v.get() + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero()) {
      throw StorageException.usage(name + " must be longer than zero");
    }
    return Optional.of(d);
  }
}
