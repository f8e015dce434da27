package io.stowage.storage.transfer;

/**
 * One file a source will deliver.
 *
 * @param path where it lands under the destination
 * @param size its exact size in bytes, or {@link #UNKNOWN_SIZE} when the source does not say
 * @param version the source's version tag (S3 ETag, HTTP ETag); a resume only reuses bytes of the
 *     same version
 * @param verification what the bytes are checked against
 * @param locator how the source finds it again (the S3 key, the path in the repository)
 * @param seekable whether the source serves byte ranges of it; otherwise it is fetched as one
 *     stream and a failed attempt starts over
 */
public record RemoteFile(
    RelativePath path,
    long size,
    String version,
    Verification verification,
    String locator,
    boolean seekable) {
  public static final long UNKNOWN_SIZE = -1;

  public RemoteFile {
    if (size < UNKNOWN_SIZE) {
      throw new IllegalArgumentException("negative size for " + path);
    }
    if (size == UNKNOWN_SIZE && seekable) {
      throw new IllegalArgumentException(
          "a file of unknown size cannot be fetched in ranges: " + path);
    }
    if (size == UNKNOWN_SIZE
        && verification instanceof Verification.Digest d
        && d.algorithm() == Verification.Algorithm.GIT_BLOB_SHA1) {
      throw new IllegalArgumentException("a git blob id needs the size: " + path);
    }
  }

  /** A file served in ranges (S3, Hugging Face, range-capable HTTP servers). */
  public RemoteFile(
      RelativePath path, long size, String version, Verification verification, String locator) {
    this(path, size, version, verification, locator, true);
  }

  public boolean sizeKnown() {
    return size != UNKNOWN_SIZE;
  }

  /** The size where known, 0 otherwise: for totals and progress. */
  public long knownSize() {
    return Math.max(0, size);
  }
}
