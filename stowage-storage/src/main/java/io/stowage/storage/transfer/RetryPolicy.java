package io.stowage.storage.transfer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a failing request is tried and how long to wait in between: exponential backoff with
 * full jitter. Attempts that moved data do not count, so a flaky connection slows a transfer down
 * but does not fail it.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static RetryPolicy withAttempts(int maxAttempts) {
    return new RetryPolicy(maxAttempts, Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  /** The pause before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
  public Duration delayAfter(int attempt) {
    long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, attempt - 1));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
  }
}
