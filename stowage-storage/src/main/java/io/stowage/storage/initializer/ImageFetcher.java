package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.uri.OciUri;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Materializes an {@code oci://} image's {@code /models} in a directory. The implementation lives
 * in {@code stowage-oci}, which depends on this module; the command line hands it to the
 * initializer, so the dependency points one way only.
 */
@FunctionalInterface
public interface ImageFetcher {

  /**
   * Fetches the image into {@code destination}, reporting to {@code watcher} when one is given.
   *
   * @throws StorageException classified, with a message for the user
   */
  void fetch(
      OciUri uri,
      Path destination,
      InitializerSettings settings,
      InitializerLog log,
      @Nullable TransferWatcher watcher);

  /** For builds without {@code stowage-oci}: {@code oci://} fails with a usage error. */
  static ImageFetcher unavailable() {
    return (uri, destination, settings, log, watcher) -> {
      throw StorageException.usage(
          "Storage type oci:// is not available in this build (" + uri.display() + ")");
    };
  }
}
