package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
import io.stowage.storage.hf.HuggingFaceSource;
import io.stowage.storage.http.HttpSource;
import io.stowage.storage.local.LocalLinker;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.s3.S3Source;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.transfer.TransferEngine;
import io.stowage.storage.transfer.TransferListener;
import io.stowage.storage.transfer.TransferPlan;
import io.stowage.storage.transfer.TransferProgress;
import io.stowage.storage.transfer.TransferSummary;
import io.stowage.storage.uri.HttpUri;
import io.stowage.storage.uri.HuggingFaceUri;
import io.stowage.storage.uri.LocalUri;
import io.stowage.storage.uri.PvcUri;
import io.stowage.storage.uri.S3Uri;
import io.stowage.storage.uri.StorageUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * KServe's storage-initializer contract: each {@code SRC DEST} pair is materialized in order, the
 * first failure stops the run, and every pair ends with {@code Model downloaded in N seconds.}
 */
public final class StorageInitializer {
  /** Where KServe mounts the model; a source under it needs no copying. */
  private static final Path MODEL_MOUNT = Path.of("/mnt/models");

  private final InitializerSettings settings;
  private final InitializerLog log;

  public StorageInitializer(InitializerSettings settings, InitializerLog log) {
    this.settings = settings;
    this.log = log;
  }

  /**
   * Runs every pair.
   *
   * @throws StorageException on the first failure, classified, with a message for the user
   */
  public void run(List<Pair> pairs) {
    log.info("Initializing, args: " + describe(pairs));
    List<StorageUri> uris = pairs.stream().map(p -> StorageUri.parse(p.source())).toList();
    for (Pair p : pairs) {
      try {
        Files.createDirectories(p.destination());
      } catch (java.io.IOException e) {
        throw StorageException.disk("Cannot create " + p.destination() + ": " + e.getMessage(), e);
      }
    }
    try (Clients clients = new Clients()) {
      for (int i = 0; i < pairs.size(); i++) {
        fetch(uris.get(i), pairs.get(i).destination(), clients);
      }
    }
  }

  private void fetch(StorageUri uri, Path destination, Clients clients) {
    long started = System.nanoTime();
    log.info("Copying contents of " + uri.display() + " to local " + destination);
    if (uri instanceof LocalUri || uri instanceof PvcUri) {
      linkLocal(uri, destination);
    } else {
      transfer(source(uri, clients), destination, started);
    }
    log.info(
        String.format(
            Locale.ROOT, "Model downloaded in %.2f seconds.", (System.nanoTime() - started) / 1e9));
  }

  private void transfer(Source source, Path destination, long started) {
    List<RemoteFile> files = source.list();
    long bytes = files.stream().mapToLong(RemoteFile::knownSize).sum();
    log.info(
        "Found "
            + files.size()
            + (files.size() == 1 ? " file (" : " files (")
            + Units.bytes(bytes)
            + ") in "
            + source.display()
            + endpointSuffix(source));
    TransferProgress progress = new TransferProgress();
    TransferSummary summary;
    ScheduledExecutorService reporter = startReporter(progress);
    try {
      summary =
          new TransferEngine(settings.transfer())
              .run(source, files, destination, new LoggingListener(), progress);
    } finally {
      reporter.shutdownNow();
    }
    long nanos = System.nanoTime() - started;
    log.info(
        "Successfully copied "
            + source.display()
            + " to "
            + destination
            + ": "
            + files.size()
            + " files, "
            + Units.bytes(bytes)
            + ", "
            + Units.bytes(summary.fetchedBytes())
            + " fetched at "
            + Units.rate(summary.fetchedBytes(), nanos)
            + (summary.retries() > 0 ? ", " + summary.retries() + " retried requests" : ""));
  }

  /**
   * KServe's local path rules: a missing path under the PVC mount is an error of its own, an
   * existing path is linked, {@code /mnt/models} itself needs nothing, anything else is unknown.
   */
  private void linkLocal(StorageUri uri, Path destination) {
    Path path =
        uri instanceof PvcUri pvc
            ? settings.pvcRoot().resolve(pvc.path())
            : ((LocalUri) uri).path();
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      if (uri instanceof PvcUri || absolute.startsWith(settings.pvcRoot())) {
        throw StorageException.notFound("Cannot locate source uri " + uri.display() + " for PVC");
      }
      if (absolute.startsWith(MODEL_MOUNT)) {
        log.info(uri.display() + " is the model mount itself: nothing to copy");
        return;
      }
      throw StorageUri.unrecognized(uri.display());
    }
    LocalLinker.Linked linked =
        LocalLinker.link(path, destination, settings.filter(), uri.display());
    log.info(
        "Linked "
            + linked.links().size()
            + " entries of "
            + absolute
            + " into "
            + destination
            + (linked.alreadyPresent() > 0
                ? " (" + linked.alreadyPresent() + " already present)"
                : ""));
  }

  private Source source(StorageUri uri, Clients clients) {
    if (uri instanceof S3Uri s3) {
      return new S3Source(
          s3, settings.s3(), clients.s3(), settings.filter(), settings.transfer().retry());
    }
    if (uri instanceof HttpUri http) {
      return new HttpSource(
          http, clients.web(), settings.hostHeaders(), settings.transfer().retry());
    }
    if (uri instanceof HuggingFaceUri hf) {
      return new HuggingFaceSource(
          hf,
          settings.huggingFace(),
          clients.web(),
          settings.filter(),
          settings.transfer().retry());
    }
    throw new IllegalStateException("no source for " + uri.display());
  }

  /** One HTTP client per trust domain (S3's TLS settings are not the web's), created on use. */
  private final class Clients implements AutoCloseable {
    private @Nullable HttpClient s3;
    private @Nullable HttpClient web;

    HttpClient s3() {
      HttpClient c = s3;
      if (c == null) {
        c = new HttpClient(settings.net());
        s3 = c;
      }
      return c;
    }

    HttpClient web() {
      HttpClient c = web;
      if (c == null) {
        c = new HttpClient(settings.httpNet());
        web = c;
      }
      return c;
    }

    @Override
    public void close() {
      if (s3 != null) {
        s3.close();
      }
      if (web != null) {
        web.close();
      }
    }
  }

  private static String endpointSuffix(Source source) {
    return source instanceof S3Source s3 ? " at " + s3.endpoint() : "";
  }

  private ScheduledExecutorService startReporter(TransferProgress progress) {
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stowage-progress");
              t.setDaemon(true);
              return t;
            });
    long interval = settings.progressInterval().toMillis();
    long start = System.nanoTime();
    long[] last = {0, start};
    var unused =
        reporter.scheduleAtFixedRate(
            () -> {
              long now = System.nanoTime();
              long fetched = progress.fetchedBytes();
              long done = progress.doneBytes();
              long total = progress.totalBytes();
              long rateWindow = now - last[1];
              long recent = fetched - last[0];
              last[0] = fetched;
              last[1] = now;
              double perSecond = rateWindow > 0 ? recent / (rateWindow / 1e9) : 0;
              String eta =
                  perSecond > 0
                      ? String.format(Locale.ROOT, "%.0f s", (total - done) / perSecond)
                      : "-";
              log.info(
                  String.format(
                      Locale.ROOT,
                      "Progress: %s of %s (%.1f%%) at %s, ETA %s; %d of %d files in place",
                      Units.bytes(done),
                      Units.bytes(total),
                      total == 0 ? 100.0 : 100.0 * done / total,
                      Units.rate(recent, rateWindow),
                      eta,
                      progress.publishedFiles(),
                      progress.totalFiles()));
            },
            interval,
            interval,
            TimeUnit.MILLISECONDS);
    return reporter;
  }

  private static String describe(List<Pair> pairs) {
    StringBuilder sb = new StringBuilder();
    for (Pair p : pairs) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      String shown;
      try {
        shown = StorageUri.parse(p.source()).display();
      } catch (StorageException e) {
        shown = io.stowage.storage.uri.Redaction.redact(p.source());
      }
      sb.append(shown).append(" -> ").append(p.destination());
    }
    return sb.toString();
  }

  /** Turns engine events into log lines. */
  private final class LoggingListener implements TransferListener {
    @Override
    public void planned(TransferPlan plan) {
      if (plan.upToDate() > 0 || plan.resumedBytes() > 0) {
        log.info(
            "Resuming: "
                + plan.upToDate()
                + " of "
                + plan.files()
                + " files already in place ("
                + Units.bytes(plan.upToDateBytes())
                + ")"
                + (plan.resumedBytes() > 0
                    ? ", " + Units.bytes(plan.resumedBytes()) + " of partial files kept"
                    : "")
                + "; "
                + Units.bytes(plan.bytesToFetch())
                + " to fetch");
      }
    }

    @Override
    public void retrying(RelativePath path, int attempt, String reason) {
      log.warn("Retrying " + path + " (attempt " + (attempt + 1) + "): " + reason);
    }

    @Override
    public void removed(RelativePath path) {
      log.info("Removed " + path + ": the source no longer has it");
    }
  }
}
