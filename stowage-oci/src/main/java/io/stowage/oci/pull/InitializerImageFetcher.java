package io.stowage.oci.pull;

import io.stowage.oci.ImageReference;
import io.stowage.oci.OciSettings;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.initializer.ImageFetcher;
import io.stowage.storage.initializer.InitializerLog;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.uri.OciUri;
import java.nio.file.Path;
import java.util.Map;

/**
 * The initializer's {@code oci://} source (KServe's oci fetch mode): the image's {@code /models}
 * extracted into the destination, with the same manifest, restart behaviour and failure classes as
 * every other source.
 */
public final class InitializerImageFetcher implements ImageFetcher {
  private final Map<String, String> environment;
  private final OciSettings.Overrides overrides;

  public InitializerImageFetcher(Map<String, String> environment) {
    this(environment, OciSettings.Overrides.none());
  }

  /** With the command line's registry options on top of the environment. */
  public InitializerImageFetcher(Map<String, String> environment, OciSettings.Overrides overrides) {
    this.environment = Map.copyOf(environment);
    this.overrides = overrides;
  }

  @Override
  public void fetch(
      OciUri uri, Path destination, InitializerSettings settings, InitializerLog log) {
    ImageReference ref = ImageReference.parse(uri.display());
    OciSettings oci = OciSettings.from(environment, settings, overrides);
    try (Registries registries = new Registries(oci.registry())) {
      PullResult r =
          new Puller(registries, oci.pull(), log::info).pull(ref, destination, uri.display());
      if (!r.upToDate()) {
        log.info(
            "Successfully copied "
                + uri.display()
                + " ("
                + r.digest()
                + ") to "
                + destination
                + ": "
                + r.files()
                + " files, "
                + r.bytes()
                + " bytes from "
                + r.layers()
                + " layers");
      }
    }
  }
}
