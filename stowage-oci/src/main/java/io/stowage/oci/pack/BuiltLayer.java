package io.stowage.oci.pack;

import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.registry.RegistryClient.BlobSource;
import java.util.Map;
import java.util.Optional;

/**
 * A model layer ready to push: its blob's digest and size, the digest of its uncompressed tar (the
 * config's diff ID), and where its bytes come from.
 */
record BuiltLayer(
    Compression compression,
    Digest digest,
    long size,
    Digest diffId,
    BlobSource source,
    Map<String, String> annotations) {

  Descriptor descriptor() {
    return new Descriptor(compression.ociMediaType(), digest, size, annotations, Optional.empty());
  }
}
