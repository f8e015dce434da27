package io.stowage.storage.s3;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach and authenticate to an S3 store.
 *
 * @param endpoint a custom endpoint (MinIO, Ceph, ...); empty means AWS for {@code region}
 * @param region the signing region
 * @param addressing path-style or virtual-hosted requests
 * @param accelerate use the S3 Transfer Acceleration endpoint (AWS only)
 * @param credentials where request credentials come from
 * @param verifyEtag compare single-part ETags with the MD5 of what arrived
 */
public record S3Settings(
    Optional<URI> endpoint,
    String region,
    Addressing addressing,
    boolean accelerate,
    CredentialsSource credentials,
    boolean verifyEtag) {

  /** Addressing style. AUTO is path-style on custom endpoints and virtual-hosted on AWS. */
  public enum Addressing {
    AUTO,
    PATH,
    VIRTUAL
  }
}
