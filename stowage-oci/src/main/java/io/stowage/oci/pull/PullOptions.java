package io.stowage.oci.pull;

import io.stowage.oci.Platform;
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
 */
public record PullOptions(
    Platform platform, int concurrency, long partSize, RetryPolicy retry, boolean fsync) {
  public PullOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    if (partSize < 1024 * 1024) {
      throw new IllegalArgumentException("part size must be at least 1 MiB");
    }
  }
}
