package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
import io.stowage.storage.archive.ArchiveExtractor;
import io.stowage.storage.archive.ArchiveFormat;
import io.stowage.storage.archive.ExtractedFile;
import io.stowage.storage.archive.ExtractionResult;
import io.stowage.storage.local.LocalLinker;
import io.stowage.storage.s3.S3Source;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.Extractions;
import io.stowage.storage.transfer.ManifestSummary;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.transfer.TransferEngine;
import io.stowage.storage.transfer.TransferListener;
import io.stowage.storage.transfer.TransferPlan;
import io.stowage.storage.transfer.TransferProgress;
import io.stowage.storage.transfer.TransferSummary;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.uri.HttpUri;
import io.stowage.storage.uri.HuggingFaceUri;
import io.stowage.storage.uri.LocalUri;
import io.stowage.storage.uri.OciUri;
import io.stowage.storage.uri.PvcUri;
import io.stowage.storage.uri.StorageUri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
  private final ImageFetcher images;
  private final @Nullable TransferWatcher watcher;

  public StorageInitializer(InitializerSettings settings, InitializerLog log) {
    this(settings, log, ImageFetcher.unavailable(), null);
  }

  /**
   * @param images fetches {@code oci://} sources (the command line passes stowage-oci's)
   * @param watcher if set, takes over progress reporting from the periodic log lines
   */
  public StorageInitializer(
      InitializerSettings settings,
      InitializerLog log,
      ImageFetcher images,
      @Nullable TransferWatcher watcher) {
    this.settings = settings;
    this.log = log;
    this.images = images;
    this.watcher = watcher;
  }

  /**
   * Runs every pair.
   *
   * @return what each pair put in place, in order
   * @throws StorageException on the first failure, classified, with a message for the user
   */
  public List<Deployed> run(List<Pair> pairs) {
    log.info("Initializing, args: " + describe(pairs));
    List<StorageUri> uris = pairs.stream().map(p -> StorageUri.parse(p.source())).toList();
    for (Pair p : pairs) {
      try {
        Files.createDirectories(p.destination());
      } catch (java.io.IOException e) {
        throw StorageException.disk("Cannot create " + p.destination() + ": " + e.getMessage(), e);
      }
    }
    List<Deployed> deployed = new ArrayList<>();
    try (Sources sources = new Sources(settings)) {
      for (int i = 0; i < pairs.size(); i++) {
        fetch(uris.get(i), pairs.get(i).destination(), sources);
        deployed.add(deployed(uris.get(i), pairs.get(i)));
      }
    }
    return deployed;
  }

  /** The record of a pair just materialized: its manifest's counts and digest, if it has one. */
  private static Deployed deployed(StorageUri uri, Pair pair) {
    if (uri instanceof LocalUri || uri instanceof PvcUri) {
      return Deployed.linked(pair.source());
    }
    return ManifestSummary.of(pair.destination(), uri.display())
        .map(m -> new Deployed(pair.source(), m.files(), m.bytes(), m.digest()))
        .orElseGet(() -> Deployed.linked(pair.source()));
  }

  private void fetch(StorageUri uri, Path destination, Sources sources) {
    long started = System.nanoTime();
    log.info("Copying contents of " + uri.display() + " to local " + destination);
    if (uri instanceof LocalUri || uri instanceof PvcUri) {
      linkLocal(uri, destination);
    } else if (uri instanceof OciUri oci) {
      images.fetch(oci, destination, settings, log, watcher);
    } else {
      transfer(uri, sources.open(uri), destination, started);
    }
    log.info(
        String.format(
            Locale.ROOT, "Model downloaded in %.2f seconds.", (System.nanoTime() - started) / 1e9));
  }

  private void transfer(StorageUri uri, Source source, Path destination, long started) {
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
    Optional<ArchiveFormat> archive =
        files.size() == 1 ? archiveFormat(uri, files.get(0)) : Optional.empty();
    if (archive.isPresent() && Extractions.isCurrent(destination, source.display(), files.get(0))) {
      log.info(
          "The archive "
              + files.get(0).path()
              + " of "
              + source.display()
              + " was already extracted into "
              + destination
              + ": nothing to fetch");
      return;
    }
    TransferProgress progress = new TransferProgress();
    TransferSummary summary;
    TransferWatcher w = watcher;
    ScheduledExecutorService reporter = w == null ? startReporter(progress) : null;
    if (w != null) {
      w.started(source.display(), destination, progress);
    }
    try {
      summary =
          new TransferEngine(settings.transfer())
              .run(source, files, destination, new LoggingListener(), progress);
    } finally {
      if (reporter != null) {
        reporter.shutdownNow();
      }
    }
    if (w != null) {
      w.finished(source.display(), destination, summary);
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
    if (archive.isPresent()) {
      RemoteFile file = files.get(0);
      extract(
          source.display(),
          file,
          file.path().resolveUnder(destination),
          archive.get(),
          destination,
          true);
    }
  }

  /**
   * KServe's rule: when the source is exactly one file and it is an archive, its content goes into
   * the destination's root and the archive is removed (for a linked local file, only the link).
   */
  private void extract(
      String source,
      RemoteFile file,
      Path archivePath,
      ArchiveFormat format,
      Path destination,
      boolean deleteArchive) {
    long t0 = System.nanoTime();
    ExtractionResult result =
        new ArchiveExtractor(settings.archiveLimits()).extract(archivePath, format, destination);
    List<Extractions.ExtractedMember> members = new ArrayList<>();
    boolean archiveIsAMember = false;
    for (ExtractedFile f : result.files()) {
      RelativePath path = new RelativePath(f.relativePath());
      archiveIsAMember |= path.resolveUnder(destination).equals(archivePath);
      members.add(new Extractions.ExtractedMember(path, f.size()));
    }
    if (!archiveIsAMember) {
      try {
        if (deleteArchive || Files.isSymbolicLink(archivePath)) {
          Files.deleteIfExists(archivePath);
        }
        removeEmptyParents(archivePath.getParent(), destination);
      } catch (IOException e) {
        throw StorageException.disk(
            "Cannot remove the archive " + archivePath + ": " + e.getMessage(), e);
      }
    }
    Extractions.record(destination, source, file, members, settings.transfer().fsync());
    log.info(
        "Extracted "
            + members.size()
            + " files ("
            + Units.bytes(result.totalBytes())
            + ") from "
            + file.path()
            + String.format(Locale.ROOT, " in %.2f s", (System.nanoTime() - t0) / 1e9));
  }

  private static void removeEmptyParents(@Nullable Path dir, Path root) throws IOException {
    Path d = dir;
    while (d != null && !d.equals(root) && d.startsWith(root)) {
      try (var entries = Files.list(d)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(d);
      d = d.getParent();
    }
  }

  /** The archive type of a single file: by its name, or for an https URL by a name in its query. */
  private static Optional<ArchiveFormat> archiveFormat(StorageUri uri, RemoteFile file) {
    if (uri instanceof HuggingFaceUri) {
      return Optional.empty(); // KServe never unpacks what it fetched from the Hub.
    }
    Optional<ArchiveFormat> byName = ArchiveFormat.ofFileName(file.path().fileName());
    if (byName.isPresent() || !(uri instanceof HttpUri http)) {
      return byName;
    }
    // KServe takes the type from the query when the path has none (…/download?path=/x/model.zip).
    String query = http.uri().getQuery();
    if (query == null || file.path().fileName().contains(".")) {
      return Optional.empty();
    }
    for (String part : query.split("&", -1)) {
      int eq = part.indexOf('=');
      Optional<ArchiveFormat> f = ArchiveFormat.ofFileName(eq < 0 ? part : part.substring(eq + 1));
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
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
    Optional<Path> single = LocalLinker.singleFile(path, settings.filter());
    Optional<ArchiveFormat> archive =
        single.flatMap(f -> ArchiveFormat.ofFileName(f.getFileName().toString()));
    RemoteFile localArchive = archive.isPresent() ? localFile(single.get()) : null;
    if (localArchive != null && Extractions.isCurrent(destination, uri.display(), localArchive)) {
      log.info(
          "The archive "
              + absolute
              + " was already extracted into "
              + destination
              + ": nothing to do");
      return;
    }
    LocalLinker.Linked linked =
        LocalLinker.link(path, destination, settings.filter(), uri.display());
    if (localArchive != null && archive.isPresent()) {
      extract(
          uri.display(),
          localArchive,
          destination.resolve(single.get().getFileName().toString()),
          archive.get(),
          destination,
          false);
      return;
    }
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

  /** A local archive as the manifest records it: its size and modification time are its version. */
  private static RemoteFile localFile(Path path) {
    try {
      long size = Files.size(path);
      String version = size + "@" + Files.getLastModifiedTime(path).toMillis();
      return new RemoteFile(
          RelativePath.fromSource(path.getFileName().toString(), path.toString()),
          size,
          version,
          new Verification.SizeOnly("local file"),
          path.toString());
    } catch (IOException e) {
      throw StorageException.disk("Cannot read " + path + ": " + e.getMessage(), e);
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
        shown = io.stowage.common.UriRedaction.redact(p.source());
      }
      sb.append(shown).append(" -> ").append(p.destination());
    }
    return sb.toString();
  }

  /** Turns engine events into log lines. */
  private final class LoggingListener implements TransferListener {
    @Override
    public void planned(TransferPlan plan) {
      if (watcher != null) {
        watcher.planned(plan);
      }
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
      if (watcher != null) {
        watcher.retrying(path, attempt, reason);
      }
      log.warn("Retrying " + path + " (attempt " + (attempt + 1) + "): " + reason);
    }

    @Override
    public void removed(RelativePath path) {
      if (watcher != null) {
        watcher.removed(path);
      }
      log.info("Removed " + path + ": the source no longer has it");
    }

    @Override
    public void published(RelativePath path, long size) {
      if (watcher != null) {
        watcher.published(path, size);
      }
    }
  }
}
