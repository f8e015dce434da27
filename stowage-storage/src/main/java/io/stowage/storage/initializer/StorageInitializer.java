package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
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
import io.stowage.storage.uri.S3Uri;
import io.stowage.storage.uri.StorageUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * KServe's storage-initializer contract: each {@code SRC DEST} pair is materialized in order, the
 * first failure stops the run, and every pair ends with {@code Model downloaded in N seconds.}
 */
public final class StorageInitializer {
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
    try (HttpClient http = new HttpClient(settings.net())) {
      for (int i = 0; i < pairs.size(); i++) {
        fetch(uris.get(i), pairs.get(i).destination(), http);
      }
    }
  }

  private void fetch(StorageUri uri, Path destination, HttpClient http) {
    long started = System.nanoTime();
    log.info("Copying contents of " + uri.display() + " to local " + destination);
    Source source = source(uri, http);
    List<RemoteFile> files = source.list();
    long bytes = files.stream().mapToLong(RemoteFile::size).sum();
    log.info(
        "Found "
            + files.size()
            + (files.size() == 1 ? " file (" : " files (")
            + Units.bytes(bytes)
            + ") in "
            + uri.display()
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
            + uri.display()
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
    log.info(String.format(Locale.ROOT, "Model downloaded in %.2f seconds.", nanos / 1e9));
  }

  private Source source(StorageUri uri, HttpClient http) {
    if (uri instanceof S3Uri s3) {
      return new S3Source(s3, settings.s3(), http, settings.filter(), settings.transfer().retry());
    }
    throw new IllegalStateException("no source for " + uri.display());
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
