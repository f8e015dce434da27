package io.stowage.storage.uri;

import io.stowage.common.UriRedaction;
import java.net.URI;

/** {@code http(s)://host/path/file}: one file, named by the last segment of the path. */
public record HttpUri(URI uri) implements StorageUri {

  @Override
  public String display() {
    return UriRedaction.redact(uri.toString());
  }

  @Override
  public String toString() {
    return display();
  }
}
