package io.stowage.oci.pull;

import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.OciSettings;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.initializer.ImageFetcher;
import io.stowage.storage.initializer.InitializerLog;
import io.stowage.storage.initializer.TransferWatcher;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.ProgressFeed;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.TransferPlan;
import io.stowage.storage.transfer.TransferSummary;
import io.stowage.storage.uri.OciUri;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
      OciUri uri,
      Path destination,
      InitializerSettings settings,
      InitializerLog log,
      @Nullable TransferWatcher watcher) {
    ImageReference ref = ImageReference.parse(uri.display());
    OciSettings oci = OciSettings.from(environment, settings, overrides);
    long started = System.nanoTime();
    Display display = watcher == null ? null : new Display(uri.display(), destination, watcher);
    try (Registries registries = new Registries(oci.registry())) {
      PullResult r =
          new Puller(
                  registries, oci.pull(), log::info, display == null ? PullProgress.NONE : display)
              .pull(ref, destination, uri.display());
      if (display != null) {
        display.finished(r, Duration.ofNanos(System.nanoTime() - started));
      }
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

  /**
   * A pull as the transfer engine's watcher sees one: the layers are the units in flight (an
   * image's files are only known once its layers are read), so a display shows layers, bytes and
   * rate.
   */
  private static final class Display implements PullProgress {
    private final String source;
    private final Path destination;
    private final TransferWatcher watcher;
    private final Map<Digest, Descriptor> layers = new HashMap<>();
    private volatile @Nullable ProgressFeed feed;
    private volatile @Nullable TransferPlan plan;

    Display(String source, Path destination, TransferWatcher watcher) {
      this.source = source;
      this.destination = destination;
      this.watcher = watcher;
    }

    @Override
    public void planned(List<Descriptor> all, List<Descriptor> toFetch) {
      all.forEach(l -> layers.put(l.digest(), l));
      long bytes = all.stream().mapToLong(Descriptor::size).sum();
      long fetchBytes = toFetch.stream().mapToLong(Descriptor::size).sum();
      TransferPlan p =
          new TransferPlan(all.size(), bytes, all.size() - toFetch.size(), bytes - fetchBytes, 0);
      ProgressFeed f = new ProgressFeed(p, "layers");
      plan = p;
      feed = f;
      watcher.started(source, destination, f.progress());
      watcher.planned(p);
    }

    @Override
    public void fetched(Digest layer, long bytes) {
      ProgressFeed f = feed;
      Descriptor l = layers.get(layer);
      if (f != null && l != null) {
        f.fetched(unit(l), l.size(), bytes);
      }
    }

    @Override
    public void retried() {
      ProgressFeed f = feed;
      if (f != null) {
        f.retried();
      }
    }

    @Override
    public void layerDone(Descriptor layer) {
      ProgressFeed f = feed;
      if (f != null) {
        f.done(unit(layer));
      }
    }

    void finished(PullResult r, Duration elapsed) {
      TransferPlan p = plan;
      if (p != null) {
        watcher.finished(
            source,
            destination,
            new TransferSummary(p, r.fetchedBytes(), (int) r.retries(), elapsed));
      }
    }

    private static RelativePath unit(Descriptor l) {
      return new RelativePath("layer " + l.digest().shortHex());
    }
  }
}
