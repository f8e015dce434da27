package io.stowage.storage.uri;

import io.stowage.common.ImageName;
import io.stowage.common.UriRedaction;
import io.stowage.storage.StorageException;
import java.util.Locale;

/**
 * {@code oci://registry/repository[:tag|@digest]} (or KServe's {@code oci+fetch://} spelling): an
 * image whose {@code /models} the initializer extracts. The reference itself is parsed by {@code
 * stowage-oci}, which this module does not depend on; here it is only recognised.
 *
 * @param reference what follows the scheme
 */
public record OciUri(String reference) implements StorageUri {
  static final String SCHEME = "oci://";
  static final String FETCH_SCHEME = "oci+fetch://";

  public OciUri {
    // The grammar the model tools and the planner use too: oci://busybox:latest is Docker Hub's.
    try {
      ImageName.parse(reference);
    } catch (IllegalArgumentException e) {
      throw StorageException.usage(
          "Invalid image URI "
              + UriRedaction.redact(SCHEME + reference)
              + ": "
              + e.getMessage()
              + "; expected oci://[registry/]repository[:tag][@digest]");
    }
  }

  static boolean matches(String lower) {
    return lower.startsWith(SCHEME) || lower.startsWith(FETCH_SCHEME);
  }

  static OciUri parse(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    int length = lower.startsWith(FETCH_SCHEME) ? FETCH_SCHEME.length() : SCHEME.length();
    return new OciUri(uri.substring(length));
  }

  @Override
  public String display() {
    return UriRedaction.redact(SCHEME + reference);
  }

  @Override
  public String toString() {
    return display();
  }
}
