package io.stowage.storage.archive;

/**
 * How much an archive may expand before it is treated as a decompression bomb and refused ({@link
 * io.stowage.storage.Failure#UNSAFE_SOURCE}). All three are checked while the archive streams, so a
 * bomb is stopped before it fills the disk; a member whose header already declares a size over the
 * limits is refused before any of its bytes are written.
 *
 * @param maxTotalBytes the most uncompressed bytes all members together may hold; default 1 TiB
 *     ({@code STOWAGE_ARCHIVE_MAX_BYTES})
 * @param maxRatio the most uncompressed bytes per byte of the archive file; default 200 ({@code
 *     STOWAGE_ARCHIVE_MAX_RATIO}). Model weights barely compress (safetensors and ONNX shards
 *     rarely shrink below half), so a much higher ratio is the mark of a bomb. It is enforced only
 *     once more than {@link #RATIO_GRACE_BYTES} were extracted, so that small archives of
 *     compressible text or zero-filled test weights pass. {@code Double.POSITIVE_INFINITY} turns
 *     the check off.
 * @param maxEntries the most members (files, directories and links) the archive may hold; default
 *     1,000,000 ({@code STOWAGE_ARCHIVE_MAX_ENTRIES})
 */
public record ArchiveLimits(long maxTotalBytes, double maxRatio, long maxEntries) {
  /** 1 TiB. */
  public static final long DEFAULT_MAX_TOTAL_BYTES = 1L << 40;

  /** 200 uncompressed bytes per archive byte. */
  public static final double DEFAULT_MAX_RATIO = 200;

  /** One million members. */
  public static final long DEFAULT_MAX_ENTRIES = 1_000_000;

  /**
   * Below this many extracted bytes (16 MiB) the ratio is not enforced: no archive is a threat at
   * that size, and small archives of text legitimately compress beyond any sensible ratio.
   */
  public static final long RATIO_GRACE_BYTES = 16L << 20;

  public ArchiveLimits {
    if (maxTotalBytes <= 0) {
      throw new IllegalArgumentException(
          "The archive size limit must be positive, got " + maxTotalBytes);
    }
    if (!(maxRatio > 0)) {
      throw new IllegalArgumentException(
          "The archive compression ratio limit must be positive, got " + maxRatio);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException(
          "The archive entry limit must be positive, got " + maxEntries);
    }
  }

  /** 1 TiB in total, a ratio of 200, 1,000,000 entries. */
  public static ArchiveLimits defaults() {
    return new ArchiveLimits(DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_RATIO, DEFAULT_MAX_ENTRIES);
  }
}
