package io.stowage.oci.pack;

import io.stowage.oci.ImageReference;
import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.Platform;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code stowage pack} does.
 *
 * @param base the image whose layers go below the model, or empty for a data-only image
 * @param platform which manifest of a multi-platform base to use (and the platform a data-only
 *     image claims)
 * @param largeFileSize files at least this large get a layer of their own
 * @param maxLayerSize no layer of grouped files exceeds this; a single file above it is refused
 * @param concurrency blobs hashed or pushed at once
 * @param workDir where compressed layers are written before they are pushed
 */
public record PackOptions(
    Path modelDir,
    ImageReference target,
    Optional<ImageReference> base,
    Platform platform,
    Compression compression,
    long largeFileSize,
    long maxLayerSize,
    int concurrency,
    Path workDir) {

  /** 16 MiB: tokenizers and configs share a layer, weight shards never do. */
  public static final long DEFAULT_LARGE_FILE_SIZE = 16L << 20;

  /** 10,000 MiB: ECR Public's per-layer cap, the lowest published by a major registry. */
  public static final long DEFAULT_MAX_LAYER_SIZE = 10_000L << 20;

  public PackOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    if (largeFileSize < 1 || maxLayerSize < 1) {
      throw new IllegalArgumentException("layer sizes must be positive");
    }
  }
}
