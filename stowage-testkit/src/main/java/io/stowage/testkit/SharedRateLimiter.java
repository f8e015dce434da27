package io.stowage.testkit;

import java.util.concurrent.TimeUnit;

/**
 * A byte budget per second shared by several writers. Each writer reserves the time its chunk takes
 * at the configured rate and sleeps until that time has passed, so the combined rate never exceeds
 * the budget and an idle period does not build up a burst.
 */
final class SharedRateLimiter {

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final int MAX_CHUNK = 64 * 1024;

  private final long bytesPerSecond;
  private long nextFreeNanos = System.nanoTime();

  SharedRateLimiter(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** How much to move at once: about 1/20 s worth, so the rate is smooth at the 50 ms scale. */
  int chunkSize() {
    return (int) Math.max(1, Math.min(MAX_CHUNK, bytesPerSecond / 20));
  }

  /** Blocks until {@code bytes} more bytes fit in the budget. */
  void acquire(int bytes) throws InterruptedException {
    long wakeAt;
    synchronized (this) {
      long start = Math.max(System.nanoTime(), nextFreeNanos);
      nextFreeNanos = start + bytes * NANOS_PER_SECOND / bytesPerSecond;
      wakeAt = nextFreeNanos;
    }
    long wait;
    while ((wait = wakeAt - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
