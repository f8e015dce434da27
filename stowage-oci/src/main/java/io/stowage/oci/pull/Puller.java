package io.stowage.oci.pull;

import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.ImageIndex;
import io.stowage.oci.ImageManifest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.ManifestDocument;
import io.stowage.oci.MediaTypes;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.registry.RegistryClient;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.Extractions;
import io.stowage.storage.transfer.ManifestView;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.Verification;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Materializes an image's {@code /models} tree in a directory.
 *
 * <p>The reference resolves to a manifest (an index to the requested platform's); each layer is
 * extracted into a hidden stage of its own in the destination, in parallel, and recorded in the
 * destination's manifest when its digest was verified, so a killed run keeps finished layers. The
 * stages are then merged in layer order and the image is recorded with its digest: a rerun of the
 * same image finds it in place without fetching anything, a new image replaces the old one's files.
 */
public final class Puller {
  /** The stage directories' prefix; reserved, so no model file can collide with it. */
  static final String STAGE_PREFIX = RelativePath.RESERVED_PREFIX + "oci-";

  private static final String LAYER_MARK = "#layer-";

  private static final RelativePath IMAGE_RECORD =
      new RelativePath(RelativePath.RESERVED_PREFIX + "oci-image");

  private final Registries registries;
  private final PullProgress progress;
  private final PullOptions options;
  private final Consumer<String> log;
  private final Object manifestLock = new Object();

  public Puller(Registries registries, PullOptions options, Consumer<String> log) {
    this(registries, options, log, PullProgress.NONE);
  }

  /** With {@code progress} told about layers and bytes as they arrive (a display). */
  public Puller(
      Registries registries, PullOptions options, Consumer<String> log, PullProgress progress) {
    this.registries = registries;
    this.options = options;
    this.log = log;
    this.progress = progress;
  }

  /** The image a reference names, resolved to one platform's manifest. */
  public record ResolvedImage(ImageReference reference, Digest digest, ImageManifest manifest) {}

  /** Resolves a reference (an index to the requested platform's manifest). */
  public ResolvedImage resolve(ImageReference ref) {
    RegistryClient client = registries.client(ref.registry());
    RegistryClient.FetchedManifest top =
        client.fetchManifest(ref.repository(), ref.manifestReference());
    ManifestDocument doc = top.document();
    if (doc instanceof ImageIndex index) {
      Descriptor chosen =
          index
              .select(options.platform())
              .orElseThrow(
                  () ->
                      StorageException.notFound(
                          "The image "
                              + ref
                              + " has no "
                              + options.platform()
                              + " manifest (it has "
                              + String.join(", ", index.platforms())
                              + ")"));
      doc = client.fetchManifest(ref.repository(), chosen.digest().toString()).document();
    }
    if (!(doc instanceof ImageManifest m)) {
      throw StorageException.notFound("The reference " + ref + " does not name an image");
    }
    return new ResolvedImage(ref, top.digest(), m);
  }

  /**
   * Pulls {@code ref} into {@code destination}.
   *
   * @param source how the manifest names this source (the URI as the user wrote it)
   */
  public PullResult pull(ImageReference ref, Path destination, String source) {
    ResolvedImage image = resolve(ref);
    List<Descriptor> layers = image.manifest().layers();
    for (Descriptor l : layers) {
      if (MediaTypes.layerCompression(l.mediaType()).isEmpty()) {
        throw StorageException.usage(
            "The image "
                + ref
                + " has a layer of type "
                + l.mediaType()
                + ", which is not a tar layer: it is not a modelcar image");
      }
    }
    Path dest = openDestination(destination);
    // Reading the manifest (isCurrent, below) creates it, so whether it was there is noted first.
    boolean hadManifest =
        Files.exists(dest.resolve(ManifestView.fileName()), LinkOption.NOFOLLOW_LINKS);
    long total = layers.stream().mapToLong(Descriptor::size).sum();
    RemoteFile imageRecord = record(IMAGE_RECORD, total, image.digest());
    if (Extractions.isCurrent(dest, source, imageRecord)) {
      log.accept(ref + " (" + image.digest() + ") is already in " + dest + ": nothing to fetch");
      return new PullResult(ref, image.digest(), layers.size(), 0, 0, 0, 0, true, 0);
    }
    RegistryClient client = registries.client(ref.registry());
    PullContext ctx =
        new PullContext(
            client,
            ref.repository(),
            options.retry(),
            options.concurrency(),
            options.partSize(),
            512 * 1024);
    List<Path> stages = new ArrayList<>();
    List<Integer> todo = new ArrayList<>();
    int resumed = 0;
    for (int i = 0; i < layers.size(); i++) {
      Descriptor l = layers.get(i);
      Path stage = dest.resolve(STAGE_PREFIX + l.digest().hex().substring(0, 16));
      stages.add(stage);
      if (Files.isDirectory(stage, LinkOption.NOFOLLOW_LINKS)
          && Extractions.isCurrent(
              dest, layerSource(source, i), record(stageName(l), l.size(), l.digest()))) {
        resumed++;
        continue;
      }
      deleteTree(stage);
      todo.add(i);
    }
    if (resumed > 0) {
      log.accept("Resuming: " + resumed + " of " + layers.size() + " layers already extracted");
    }
    log.accept(
        "Pulling "
            + ref
            + " ("
            + image.digest()
            + "): "
            + layers.size()
            + " layers, "
            + total
            + " bytes");
    ctx.reportTo(progress);
    progress.planned(layers, todo.stream().map(layers::get).toList());
    List<ImageTree.MergedFile> files;
    try {
      fetchLayers(ctx, layers, stages, todo, dest, source);
      Set<RelativePath> ours;
      try {
        ours = ImageTree.previous(ManifestView.read(dest), source);
      } catch (IOException e) {
        throw StorageException.disk(
            "Cannot read the manifest in " + dest + ": " + e.getMessage(), e);
      }
      files = ImageTree.merge(dest, stages, ours);
    } catch (StorageException e) {
      if (e.failure() == Failure.UNSAFE_SOURCE) {
        removeWhatThisRunAdded(dest, stages, todo, hadManifest);
      }
      throw e;
    }
    List<Extractions.ExtractedMember> members =
        files.stream().map(f -> new Extractions.ExtractedMember(f.path(), f.size())).toList();
    synchronized (manifestLock) {
      Extractions.record(dest, source, imageRecord, members, options.fsync());
    }
    stages.forEach(Puller::deleteTree);
    if (files.isEmpty()) {
      throw StorageException.notFound(
          "The image "
              + ref
              + " has nothing under /models: it is not a modelcar image (KServe expects the model"
              + " in /models)");
    }
    long bytes = files.stream().mapToLong(ImageTree.MergedFile::size).sum();
    return new PullResult(
        ref,
        image.digest(),
        layers.size(),
        files.size(),
        bytes,
        ctx.fetched.get(),
        ctx.retries.get(),
        false,
        resumed);
  }

  /**
   * After a refusal: the stages of the layers this run fetched, and the manifest if this run
   * created it. Keeping them would only let a rerun resume an image that is refused again; the
   * merge places nothing before the whole tree passed its checks, so the model files are as they
   * were. (A manifest that was there before keeps the lines of the removed stages, which no longer
   * match anything on disk and so are never trusted.)
   */
  private static void removeWhatThisRunAdded(
      Path dest, List<Path> stages, List<Integer> fetched, boolean hadManifest) {
    fetched.forEach(i -> discardQuietly(stages.get(i)));
    try {
      if (!hadManifest) {
        Files.deleteIfExists(dest.resolve(ManifestView.fileName()));
      }
    } catch (IOException e) {
      // The refusal is what the user must see; leftovers are hidden and replaced by the next run.
    }
  }

  private void fetchLayers(
      PullContext ctx,
      List<Descriptor> layers,
      List<Path> stages,
      List<Integer> todo,
      Path dest,
      String source) {
    if (todo.isEmpty()) {
      return;
    }
    checkSpace(dest, todo.stream().mapToLong(i -> layers.get(i).size()).sum());
    List<Integer> order = new ArrayList<>(todo);
    order.sort(Comparator.comparingLong((Integer i) -> -layers.get(i).size()));
    ExecutorService parts = daemonPool(options.concurrency(), "stowage-oci-part");
    ExecutorService scanners =
        daemonPool(Math.min(order.size(), options.concurrency()), "stowage-oci-layer");
    PartFetcher fetcher = new PartFetcher(ctx, parts);
    AtomicInteger done = new AtomicInteger();
    ctx.unfinishedLayers.set(order.size());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i : order) {
        Descriptor l = layers.get(i);
        Path stage = stages.get(i);
        futures.add(
            scanners.submit(
                () -> {
                  try {
                    LayerStage s = new LayerStage(stage, l.digest().shortHex());
                    new LayerPuller(ctx, fetcher, l, s, options.archiveLimits()).run();
                    recordLayer(dest, source, i, l, s);
                    ctx.progress().layerDone(l);
                    log.accept(
                        "Layer "
                            + (i + 1)
                            + "/"
                            + layers.size()
                            + " "
                            + l.digest().shortHex()
                            + " verified and extracted ("
                            + done.incrementAndGet()
                            + " of "
                            + order.size()
                            + ")");
                  } catch (StorageException e) {
                    ctx.fail(e);
                    discardQuietly(stage);
                    throw e;
                  } catch (RuntimeException e) {
                    StorageException se =
                        new StorageException(Failure.INTERNAL, "Internal error: " + e, e);
                    ctx.fail(se);
                    discardQuietly(stage);
                    throw se;
                  } finally {
                    ctx.unfinishedLayers.decrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          // The first failure is the one to report; the others are its consequences.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ctx.fail(new StorageException(Failure.INTERNAL, "Interrupted", e));
        }
      }
      StorageException failure = ctx.failure();
      if (failure != null) {
        throw failure;
      }
    } finally {
      scanners.shutdownNow();
      parts.shutdownNow();
    }
  }

  /**
   * The stage of a layer that failed: it was not recorded, so no later run would resume it, and on
   * a full disk its partial files hold the space the next attempt needs.
   */
  private static void discardQuietly(Path stage) {
    try {
      deleteTree(stage);
    } catch (StorageException e) {
      // The layer's own failure is the one to report; the next run removes the stage.
    }
  }

  private void recordLayer(Path dest, String source, int index, Descriptor l, LayerStage stage) {
    List<Extractions.ExtractedMember> members = new ArrayList<>();
    for (RelativePath f : stage.files()) {
      Path p = f.resolveUnder(stage.root());
      try {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          members.add(
              new Extractions.ExtractedMember(
                  new RelativePath(stage.root().getFileName() + "/" + f.value()), Files.size(p)));
        }
      } catch (IOException e) {
        throw StorageException.disk("Cannot read " + p + ": " + e.getMessage(), e);
      }
    }
    synchronized (manifestLock) {
      Extractions.record(
          dest,
          layerSource(source, index),
          record(stageName(l), l.size(), l.digest()),
          members,
          options.fsync());
    }
  }

  static String layerSource(String source, int index) {
    return source + LAYER_MARK + index;
  }

  /** Whether a manifest source names one staged layer of a pull rather than an image. */
  public static boolean isLayerSource(String source) {
    return source.contains(LAYER_MARK);
  }

  private static RelativePath stageName(Descriptor l) {
    return new RelativePath(STAGE_PREFIX + l.digest().hex().substring(0, 16));
  }

  private static RemoteFile record(RelativePath path, long size, Digest digest) {
    return new RemoteFile(
        path,
        size,
        digest.toString(),
        new Verification.Digest(Verification.Algorithm.SHA256, digest.hex(), "the image"),
        digest.toString());
  }

  private static Path openDestination(Path destination) {
    try {
      Files.createDirectories(destination);
      return destination.toRealPath();
    } catch (IOException e) {
      throw StorageException.disk(
          "Cannot create or enter " + destination + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a pull whose layers cannot fit: their stored sizes are exact for uncompressed layers
   * and a lower bound for compressed ones, which are held to the free space by the writes
   * themselves (a failed write is a disk failure, and the failed layer's stage is removed).
   */
  private static void checkSpace(Path dest, long bytes) {
    try {
      long usable = Files.getFileStore(dest).getUsableSpace();
      if (bytes > usable) {
        throw StorageException.disk(
            "Not enough space in "
                + dest
                + ": the layers to fetch are "
                + bytes
                + " bytes as stored (compressed ones expand beyond that), "
                + usable
                + " available (raise the pod's ephemeral-storage limit or use a larger volume)",
            null);
      }
    } catch (IOException e) {
      // Unknown: the writes themselves will tell.
    }
  }

  private static ExecutorService daemonPool(int threads, String name) {
    return Executors.newFixedThreadPool(
        Math.max(1, threads),
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw StorageException.disk("Cannot remove " + root + ": " + e.getMessage(), e);
    }
  }
}
