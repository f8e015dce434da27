package io.stowage.oci.pull;

import io.stowage.oci.Platform;
import io.stowage.storage.archive.ArchiveLimits;
import io.stowage.storage.transfer.RetryPolicy;

/**
 * How {@code stowage pull} (and the initializer's {@code oci://} source) fetch an image.
 *
 * @param platform the manifest chosen from an index
 * @param concurrency requests in flight at once, layer streams and parts together
 * @param partSize bytes per ranged GET inside large members; members of at least two parts are
 *     fetched in parallel
 * @param retry attempts and backoff for requests that fail without moving data
 * @param fsync whether extracted files are forced to stable storage before they are recorded
 * @param archiveLimits how far one layer may expand ({@code STOWAGE_ARCHIVE_MAX_*}, as for
 *     archives): a layer is a tar, often compressed, and as able to be a decompression bomb
 */
public record PullOptions(
    Platform platform,
    int concurrency,
    long partSize,
    RetryPolicy retry,
    boolean fsync,
    ArchiveLimits archiveLimits) {
  public PullOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    if (partSize < 1024 * 1024) {
      throw new IllegalArgumentException("part size must be at least 1 MiB");
    }
  }

  /** With the default archive limits. */
  public PullOptions(
      Platform platform, int concurrency, long partSize, RetryPolicy retry, boolean fsync) {
    this(platform, concurrency, partSize, retry, fsync, ArchiveLimits.defaults());
  }
}
