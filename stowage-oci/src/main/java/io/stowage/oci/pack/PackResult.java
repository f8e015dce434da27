package io.stowage.oci.pack;

import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;

/**
 * What a pack pushed.
 *
 * @param uploadedBytes blob bytes sent to the registry
 * @param present blobs the registry already had
 * @param mounted blobs linked from the base image's repository
 */
public record PackResult(
    ImageReference target,
    Digest digest,
    int layers,
    int modelLayers,
    long uploadedBytes,
    int present,
    int mounted) {

  /** {@code oci://registry/repository@sha256:...}: the reference to pin. */
  public String pinned() {
    return target.pinned(digest);
  }
}
