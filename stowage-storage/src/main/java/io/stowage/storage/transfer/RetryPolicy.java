package io.stowage.storage.transfer;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Predicate;

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

  /** A request that may fail with an I/O error. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code attempt} until it succeeds, retrying failures that {@code permanent} does not rule
   * out, with this policy's pauses; a permanent failure, or the last one, becomes {@code
   * classify}'s one-line error.
   *
   * @param doing what the request does, for the error ("listing s3://bucket/prefix")
   */
  public <T> T call(
      String doing,
      Attempt<T> attempt,
      Predicate<IOException> permanent,
      BiFunction<IOException, String, StorageException> classify) {
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (IOException e) {
        if (permanent.test(e) || n >= maxAttempts) {
          throw classify.apply(e, doing);
        }
        pause(n);
      }
    }
  }

  /**
   * Sleeps the pause after {@code attempt} failures; an interrupt ends the run as an internal
   * failure, with the thread's interrupt status kept.
   */
  public void pause(int attempt) {
    try {
      Thread.sleep(delayAfter(attempt).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Failure.INTERNAL, "Interrupted", e);
    }
  }

  /** The pause before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
  public Duration delayAfter(int attempt) {
    long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, attempt - 1));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
  }
}
