package io.stowage.cli.pack;

import io.stowage.cli.ConsoleLog;
import io.stowage.cli.registry.RegistryOptions;
import io.stowage.oci.ImageReference;
import io.stowage.oci.MediaTypes.Compression;
import io.stowage.oci.OciSettings;
import io.stowage.oci.Platform;
import io.stowage.oci.pack.PackOptions;
import io.stowage.oci.pack.PackResult;
import io.stowage.oci.pack.Packer;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stowage pack MODEL_DIR oci://REGISTRY/REPO:TAG}: builds a modelcar image (a base image's
 * layers plus the model under {@code /models}) and pushes it, without a container engine; prints
 * the digest reference to pin.
 */
@Command(
    name = "pack",
    mixinStandardHelpOptions = true,
    description = {
      "Pack a model directory into an OCI image (the model under /models) and push it.",
      "Prints oci://REGISTRY/REPO@sha256:... on stdout: the reference to put in storageUri."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:pushed",
      "1:internal error",
      "2:usage (bad reference, missing directory, file above --max-layer-size)",
      "3:authentication",
      "4:base image not found",
      "5:network",
      "6:integrity (a file changed while it was packed, the registry disagrees on a digest)",
      "7:disk",
      "8:unsafe source (a link leaving the model directory, a special file)"
    })
public final class PackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "The model directory.")
  Path modelDir = Path.of(".");

  @Parameters(index = "1", paramLabel = "IMAGE", description = "oci://REGISTRY/REPO:TAG to push.")
  String image = "";

  @Option(
      names = "--base",
      paramLabel = "IMAGE|none",
      description =
          "Base image below the model (default REGISTRY/busybox:latest, from the target registry;"
              + " KServe's modelcar needs sh, ln and sleep); 'none' for a data-only image.")
  String base = "";

  @Option(
      names = "--compression",
      paramLabel = "none|gzip|zstd",
      description =
          "Layer compression (default none: weights barely compress, and KServe's oci fetch and"
              + " umoci 0.4 cannot read zstd).")
  String compression = "none";

  @Option(
      names = "--large-file-size",
      paramLabel = "BYTES",
      description = "Files at least this large get a layer of their own (default 16Mi).")
  String largeFileSize = "16Mi";

  @Option(
      names = "--max-layer-size",
      paramLabel = "BYTES",
      description = "Largest layer allowed (default 10000Mi, ECR Public's limit).")
  String maxLayerSize = "10000Mi";

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where compressed layers are written before the push (default: the temp dir).")
  Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

  @Mixin RegistryOptions registry = new RegistryOptions();

  private final Map<String, String> env;
  private final PrintStream out;

  public PackCommand() {
    this(System.getenv(), System.out);
  }

  PackCommand(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  @Override
  public Integer call() {
    InitializerSettings init;
    try {
      init = InitializerSettings.fromEnvironment(env);
    } catch (StorageException e) {
      return RegistryOptions.fail(
          new ConsoleLog(System.err, "stowage.pack"), e.failure(), String.valueOf(e.getMessage()));
    }
    ConsoleLog log = RegistryOptions.log("pack", init);
    try {
      OciSettings oci = registry.settings(env, init);
      ImageReference target = ImageReference.parse(image);
      if (target.digest().isPresent()) {
        throw StorageException.usage("Push to a tag, not a digest: " + image);
      }
      Optional<ImageReference> baseImage =
          base.equalsIgnoreCase("none")
              ? Optional.empty()
              : Optional.of(
                  base.isEmpty()
                      ? ImageReference.parse(target.registry() + "/busybox:latest")
                      : ImageReference.parse(base));
      Platform platform = oci.pull().platform();
      PackOptions options =
          new PackOptions(
              modelDir,
              target,
              baseImage,
              platform,
              compression(compression),
              Sizes.parse("--large-file-size", largeFileSize),
              Sizes.parse("--max-layer-size", maxLayerSize),
              init.transfer().concurrency(),
              workDir);
      long started = System.nanoTime();
      try (Registries registries = new Registries(oci.registry())) {
        PackResult r = new Packer(registries, log::info).pack(options);
        log.info(
            String.format(
                Locale.ROOT,
                "Pushed %s: %d layers (%d of the model), %d bytes uploaded, %d already present,"
                    + " %d mounted, in %.2f s",
                target,
                r.layers(),
                r.modelLayers(),
                r.uploadedBytes(),
                r.present(),
                r.mounted(),
                (System.nanoTime() - started) / 1e9));
        out.println(r.pinned());
        out.flush();
      }
      return 0;
    } catch (StorageException e) {
      return RegistryOptions.fail(log, e.failure(), String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      return RegistryOptions.fail(log, Failure.INTERNAL, "Unexpected error: " + e);
    }
  }

  private static Compression compression(String s) {
    for (Compression c : Compression.values()) {
      if (c.label().equalsIgnoreCase(s.strip())) {
        return c;
      }
    }
    throw StorageException.usage("--compression must be none, gzip or zstd, not '" + s + "'");
  }
}
