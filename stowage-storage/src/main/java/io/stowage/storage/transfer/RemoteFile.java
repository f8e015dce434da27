package io.stowage.storage.transfer;

/**
 * One file a source will deliver.
 *
 * @param path where it lands under the destination
 * @param size its exact size in bytes
 * @param version the source's version tag (S3 ETag); a resume only reuses bytes of the same version
 * @param verification what the bytes are checked against
 * @param locator how the source finds it again (the S3 key)
 */
public record RemoteFile(
    RelativePath path, long size, String version, Verification verification, String locator) {
  public RemoteFile {
    if (size < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
  }
}
