package io.stowage.storage.transfer;

import java.time.Duration;
import java.util.Optional;

/**
 * How the engine moves bytes. Memory is bounded by {@code concurrency × bufferSize}, independent of
 * file and part sizes.
 *
 * @param concurrency ranged requests in flight at once, across all files
 * @param partSize bytes per ranged request
 * @param fileConcurrency files open for writing at once
 * @param bufferSize bytes each worker reads per call
 * @param retry how failed requests are retried
 * @param deadline the whole transfer must finish within this, when set
 * @param fsync whether published files (and resume records) are forced to stable storage
 */
public record TransferSettings(
    int concurrency,
    long partSize,
    int fileConcurrency,
    int bufferSize,
    RetryPolicy retry,
    Optional<Duration> deadline,
    boolean fsync) {

  public static final long MIN_PART_SIZE = 1024 * 1024;

  public TransferSettings {
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("concurrency must be between 1 and 256");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("part size must be at least 1 MiB");
    }
    if (fileConcurrency < 1) {
      throw new IllegalArgumentException("file concurrency must be at least 1");
    }
    if (bufferSize < 4096) {
      throw new IllegalArgumentException("buffer size must be at least 4 KiB");
    }
  }

  /**
   * Defaults measured with bench/s3-download.sh (bench/RESULTS.md): 64 MiB parts, and two ranges in
   * flight per available processor, between 4 and 16. Each connection costs CPU for its socket and
   * file writes; on two cores shared with the server, 4 beat 8, while more cores (and real network
   * latency) want more connections.
   */
  public static TransferSettings defaults() {
    int concurrency = Math.max(4, Math.min(16, 2 * Runtime.getRuntime().availableProcessors()));
    return new TransferSettings(
        concurrency,
        64L * 1024 * 1024,
        concurrency,
        512 * 1024,
        RetryPolicy.withAttempts(3),
        Optional.empty(),
        true);
  }
}
