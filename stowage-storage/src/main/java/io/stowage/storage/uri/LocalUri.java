package io.stowage.storage.uri;

import io.stowage.common.UriRedaction;
import java.nio.file.Path;

/** A path on the init container's filesystem ({@code file://...} or a plain path). */
public record LocalUri(Path path, String written) implements StorageUri {

  @Override
  public String display() {
    return UriRedaction.redact(written);
  }

  @Override
  public String toString() {
    return display();
  }
}
