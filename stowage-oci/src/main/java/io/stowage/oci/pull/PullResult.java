package io.stowage.oci.pull;

import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;

/**
 * What a pull did.
 *
 * @param digest the digest the reference resolved to (the index's, for a multi-platform image)
 * @param upToDate true when the destination already held this image and nothing was fetched
 * @param resumedLayers layers extracted by an interrupted earlier run and kept
 */
public record PullResult(
    ImageReference reference,
    Digest digest,
    int layers,
    int files,
    long bytes,
    long fetchedBytes,
    long retries,
    boolean upToDate,
    int resumedLayers) {}
