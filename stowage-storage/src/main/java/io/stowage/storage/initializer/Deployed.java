package io.stowage.storage.initializer;

import io.stowage.common.UriRedaction;
import org.jspecify.annotations.Nullable;

/**
 * What one {@code SRC DEST} pair put in place, for the record of what was deployed: the source
 * redacted ({@link UriRedaction}: no user-info, no query values), and for a fetched source its file
 * count, bytes and manifest digest ({@link io.stowage.storage.transfer.ManifestSummary}). A linked
 * local path or PVC has no counts: nothing was copied.
 */
public record Deployed(
    String source, @Nullable Integer files, @Nullable Long bytes, @Nullable String manifestDigest) {
  public Deployed {
    source = UriRedaction.redact(source);
  }

  static Deployed linked(String source) {
    return new Deployed(source, null, null, null);
  }
}
