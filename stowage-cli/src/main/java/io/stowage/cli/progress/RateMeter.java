package io.stowage.cli.progress;

import java.util.ArrayDeque;

/**
 * Throughput over a sliding window of recent samples: steadier than the last interval alone, and
 * quicker to follow a change than the average since the start.
 */
final class RateMeter {
  private static final long WINDOW_NANOS = 5_000_000_000L;

  private record Sample(long nanos, long bytes) {}

  private final ArrayDeque<Sample> samples = new ArrayDeque<>();

  /** Records the byte count now; returns bytes per second over the window (0 before 2 samples). */
  synchronized double sample(long nanos, long bytes) {
    samples.addLast(new Sample(nanos, bytes));
    while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) {
      samples.removeFirst();
    }
    Sample first = samples.peekFirst();
    long dt = nanos - first.nanos();
    return dt <= 0 ? 0 : (bytes - first.bytes()) * 1e9 / dt;
  }

  /** Seconds until {@code remaining} bytes are done at {@code rate}; negative when unknown. */
  static long etaSeconds(long remaining, double rate) {
    if (rate <= 0) {
      return -1;
    }
    return (long) Math.ceil(remaining / rate);
  }
}
