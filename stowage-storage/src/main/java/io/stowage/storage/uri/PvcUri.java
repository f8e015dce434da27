package io.stowage.storage.uri;

import io.stowage.common.UriRedaction;
import io.stowage.storage.StorageException;

/**
 * {@code pvc://claim[/path]}: a PersistentVolumeClaim that KServe's older webhook mounted at {@code
 * /mnt/pvc} in the init container, with the path inside the claim.
 */
public record PvcUri(String claim, String path) implements StorageUri {
  static final String SCHEME = "pvc://";

  public PvcUri {
    if (claim.isEmpty()) {
      throw StorageException.usage(
          "Invalid PVC URI: no claim name in " + UriRedaction.redact(SCHEME + "/" + path));
    }
  }

  static PvcUri parse(String uri) {
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    return slash < 0
        ? new PvcUri(rest, "")
        : new PvcUri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  @Override
  public String display() {
    return UriRedaction.redact(SCHEME + claim + (path.isEmpty() ? "" : "/" + path));
  }

  @Override
  public String toString() {
    return display();
  }
}
