package io.stowage.oci.pack;

import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.ImageIndex;
import io.stowage.oci.ImageManifest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.Json;
import io.stowage.oci.ManifestDocument;
import io.stowage.oci.MediaTypes;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.registry.RegistryClient;
import io.stowage.oci.registry.ResponseStream;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Builds a modelcar image from a model directory and pushes it: base layers are mounted (same
 * registry) or copied, model layers are hashed from the files in parallel and uploaded only when
 * the registry does not have them yet, then the config and the manifest.
 */
public final class Packer {
  private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

  private final Registries registries;
  private final Consumer<String> log;

  public Packer(Registries registries, Consumer<String> log) {
    this.registries = registries;
    this.log = log;
  }

  public PackResult pack(PackOptions o) {
    List<LayerContent> contents =
        ModelLayout.plan(o.modelDir(), o.largeFileSize(), o.maxLayerSize());
    long modelBytes = contents.stream().mapToLong(LayerContent::fileBytes).sum();
    log.accept(
        "Packing "
            + o.modelDir()
            + ": "
            + contents.stream()
                .mapToLong(
                    c ->
                        c.entries().stream()
                            .filter(e -> e.kind() != TarEntry.Kind.DIRECTORY)
                            .count())
                .sum()
            + " files ("
            + modelBytes
            + " bytes) in "
            + contents.size()
            + " model layers, "
            + o.compression().label());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            o.concurrency(),
            r -> {
              Thread t = new Thread(r, "stowage-pack");
              t.setDaemon(true);
              return t;
            });
    RegistryClient target = registries.client(o.target().registry());
    String repo = o.target().repository();
    AtomicLong uploaded = new AtomicLong();
    AtomicInteger present = new AtomicInteger();
    AtomicInteger mounted = new AtomicInteger();
    try {
      // The base first: when it is missing, nothing has been uploaded in vain.
      Base base = o.base().map(b -> resolveBase(b, o)).orElse(Base.NONE);
      // Each model layer is hashed and then pushed by the same task, so uploads of the first
      // layers overlap the hashing of the others; the config, which names every layer, comes last.
      List<Future<BuiltLayer>> layerTasks = new ArrayList<>();
      for (LayerContent c : contents) {
        layerTasks.add(
            pool.submit(
                () -> {
                  BuiltLayer b = LayerBuilder.build(c, o.compression(), o.workDir());
                  push(target, repo, b.digest(), b.size(), b.source(), uploaded, present).call();
                  return b;
                }));
      }
      List<Future<Boolean>> pushes = new ArrayList<>();
      for (Descriptor d : base.layers()) {
        pushes.add(
            pool.submit(
                () -> {
                  pushBaseLayer(d, base, target, repo, uploaded, present, mounted);
                  return true;
                }));
      }
      List<BuiltLayer> built = new ArrayList<>();
      for (Future<BuiltLayer> f : layerTasks) {
        built.add(await(f));
      }
      List<Digest> diffIds = built.stream().map(BuiltLayer::diffId).toList();
      byte[] config = ImageConfigs.build(base.config(), o.platform(), diffIds);
      Descriptor configDescriptor =
          new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(config), config.length);
      List<Descriptor> layers = new ArrayList<>(base.layers());
      built.forEach(b -> layers.add(b.descriptor()));
      pushes.add(
          pool.submit(
              push(
                  target,
                  repo,
                  configDescriptor.digest(),
                  config.length,
                  () -> new ByteArrayInputStream(config),
                  uploaded,
                  present)));
      for (Future<Boolean> f : pushes) {
        await(f);
      }
      ImageManifest manifest =
          new ImageManifest(MediaTypes.OCI_MANIFEST, configDescriptor, layers, Map.of());
      byte[] manifestBytes = manifest.toJson();
      String reference = o.target().tag().orElse(Digest.of(manifestBytes).toString());
      Digest digest = target.putManifest(repo, reference, MediaTypes.OCI_MANIFEST, manifestBytes);
      return new PackResult(
          o.target(),
          digest,
          layers.size(),
          built.size(),
          uploaded.get(),
          present.get(),
          mounted.get());
    } finally {
      pool.shutdownNow();
    }
  }

  private record Base(
      ImageReference reference, Map<String, Object> config, List<Descriptor> layers) {
    static final Base NONE =
        new Base(ImageReference.parse("oci://none.invalid/none:none"), Map.of(), List.of());
  }

  private Base resolveBase(ImageReference ref, PackOptions o) {
    RegistryClient client = registries.client(ref.registry());
    RegistryClient.FetchedManifest fetched;
    try {
      fetched = client.fetchManifest(ref.repository(), ref.manifestReference());
    } catch (StorageException e) {
      if (e.failure() == Failure.NOT_FOUND) {
        throw StorageException.notFound(
            "The base image "
                + ref
                + " was not found: copy a busybox image there (skopeo copy"
                + " docker://busybox:latest docker://"
                + ref.registry()
                + "/"
                + ref.repository()
                + ":"
                + ref.tag().orElse("latest")
                + "), choose one with --base, or pack a data-only image with --base none");
      }
      throw e;
    }
    ManifestDocument doc = fetched.document();
    if (doc instanceof ImageIndex index) {
      Descriptor chosen =
          index
              .select(o.platform())
              .orElseThrow(
                  () ->
                      StorageException.notFound(
                          "The base image "
                              + ref
                              + " has no "
                              + o.platform()
                              + " manifest (it has "
                              + String.join(", ", index.platforms())
                              + "); choose one with --platform"));
      doc = client.fetchManifest(ref.repository(), chosen.digest().toString()).document();
    }
    if (!(doc instanceof ImageManifest m)) {
      throw StorageException.notFound("The base image " + ref + " is not an image");
    }
    byte[] config = client.fetchSmallBlob(ref.repository(), m.config(), MAX_CONFIG_BYTES);
    Map<String, Object> configJson;
    try {
      configJson = Json.parseObject(config);
    } catch (IllegalArgumentException e) {
      throw StorageException.integrity("The config of the base image " + ref + " is not JSON");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (Descriptor d : m.layers()) {
      Optional<MediaTypes.Compression> c = MediaTypes.layerCompression(d.mediaType());
      if (c.isEmpty()) {
        throw StorageException.usage(
            "The base image "
                + ref
                + " has a layer of type "
                + d.mediaType()
                + ", which is not an image layer");
      }
      // Docker's layer types name the same bytes as OCI's; the new manifest is OCI throughout.
      layers.add(
          new Descriptor(
              c.get().ociMediaType(), d.digest(), d.size(), d.annotations(), Optional.empty()));
    }
    log.accept("Base image " + ref + ": " + layers.size() + " layers");
    return new Base(ref, configJson, layers);
  }

  private void pushBaseLayer(
      Descriptor d,
      Base base,
      RegistryClient target,
      String repo,
      AtomicLong uploaded,
      AtomicInteger present,
      AtomicInteger mounted) {
    if (target.blobSize(repo, d.digest()).isPresent()) {
      present.incrementAndGet();
      return;
    }
    ImageReference from = base.reference();
    if (from.registry().equals(target.registry())) {
      if (target.mount(repo, d.digest(), from.repository())) {
        mounted.incrementAndGet();
        return;
      }
    }
    RegistryClient source = registries.client(from.registry());
    target.upload(
        repo,
        d.digest(),
        d.size(),
        () -> new ResponseStream(source.openBlob(from.repository(), d.digest(), 0, -1).response()));
    uploaded.addAndGet(d.size());
  }

  private static Callable<Boolean> push(
      RegistryClient target,
      String repo,
      Digest digest,
      long size,
      RegistryClient.BlobSource source,
      AtomicLong uploaded,
      AtomicInteger present) {
    return () -> {
      if (target.blobSize(repo, digest).isPresent()) {
        present.incrementAndGet();
        return true;
      }
      target.upload(repo, digest, size, source);
      uploaded.addAndGet(size);
      return true;
    };
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorageException se) {
        throw se;
      }
      throw new StorageException(
          Failure.INTERNAL, "Internal error while packing: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Failure.INTERNAL, "Interrupted", e);
    }
  }
}
