package io.stowage.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns the staged tree into the two images with Jib, from scratch, in OCI format. Layers go from
 * what changes least to what changes most, and the two images share all but their last ones:
 * runtime, system libraries, third-party jars, Stowage's jars, class-data archive, then the tools'
 * jars (the {@code stowage} image only) and each image's SBOM.
 */
final class ImageAssembler {
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
  private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");

  private final RootFs fs;
  private final Map<String, String> labels;
  private final Path cache;

  ImageAssembler(RootFs fs, Map<String, String> labels, Path cache) {
    this.fs = fs;
    this.labels = labels;
    this.cache = cache;
  }

  /** The image's build description, ready to be written to a tarball or pushed. */
  JibContainerBuilder builder(ImageSpec spec, Path sbom) throws IOException {
    JibContainerBuilder b =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .setPlatforms(Set.of(new Platform("amd64", "linux")))
            .setCreationTime(Instant.EPOCH)
            .setUser(ImageSpec.USER)
            .setWorkingDirectory(AbsoluteUnixPath.get("/"))
            .setEnvironment(ImageSpec.environment())
            .setEntrypoint(spec.entrypoint(fs.zstdLibrary()));
    Map<String, String> imageLabels = new LinkedHashMap<>(labels);
    imageLabels.put("org.opencontainers.image.title", spec.title());
    imageLabels.put("io.stowage.image.sbom", ImageContents.APP + "/sbom.cdx.json");
    b.setLabels(imageLabels);
    b.addFileEntriesLayer(tree("java runtime", List.of(RootFs.JAVA)));
    b.addFileEntriesLayer(tree("system libraries", topLevelExcept(Set.of("opt", "app"))));
    b.addFileEntriesLayer(files("libraries", jars(false), RootFs.NATIVE));
    b.addFileEntriesLayer(
        files(
            "stowage",
            jars(true),
            RootFs.JVM_OPTIONS,
            RootFs.INITIALIZER_CLASSPATH,
            RootFs.TOOLS_CLASSPATH,
            RootFs.CLASS_LIST));
    b.addFileEntriesLayer(files("class data", List.of(), RootFs.ARCHIVE));
    if (spec.withTools()) {
      b.addFileEntriesLayer(tree("tools libraries", List.of(ImageContents.TOOLS_LIB)));
    }
    b.addFileEntriesLayer(
        FileEntriesLayer.builder()
            .setName("sbom")
            .addEntry(
                sbom,
                AbsoluteUnixPath.get(ImageContents.APP + "/sbom.cdx.json"),
                READABLE,
                FileEntriesLayer.DEFAULT_MODIFICATION_TIME)
            .build());
    return b;
  }

  JibContainer toTarball(JibContainerBuilder b, String reference, Path tarball) throws Exception {
    return b.containerize(
        cached(Containerizer.to(TarImage.at(tarball).named(reference))).setOfflineMode(true));
  }

  JibContainer push(JibContainerBuilder b, String reference, boolean insecure) throws Exception {
    ImageReference ref = ImageReference.parse(reference);
    RegistryImage target = RegistryImage.named(ref);
    target.addCredentialRetriever(CredentialRetrieverFactory.forImage(ref, e -> {}).dockerConfig());
    return b.containerize(cached(Containerizer.to(target)).setAllowInsecureRegistries(insecure));
  }

  private Containerizer cached(Containerizer c) {
    return c.setApplicationLayersCache(cache.resolve("application"))
        .setBaseImageLayersCache(cache.resolve("base"))
        .setToolName("stowage-image");
  }

  /** Stowage's own jars ({@code own}) or the third-party ones, in {@code /app/lib}. */
  private List<String> jars(boolean own) throws IOException {
    try (Stream<Path> s = Files.list(fs.at(ImageContents.LIB))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("stowage-") == own)
          .sorted()
          .map(n -> ImageContents.LIB + n)
          .toList();
    }
  }

  private List<String> topLevelExcept(Set<String> excluded) throws IOException {
    try (Stream<Path> s = Files.list(fs.root())) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !excluded.contains(n))
          .sorted()
          .map(n -> "/" + n)
          .toList();
    }
  }

  private FileEntriesLayer files(String name, List<String> paths, String... more)
      throws IOException {
    List<String> all = new ArrayList<>(paths);
    all.addAll(List.of(more));
    return tree(name, all);
  }

  /** 755 for directories and files executable by their owner, 644 for the rest. */
  private static FilePermissions permissions(Path source) {
    try {
      return Files.isDirectory(source)
              || Files.getPosixFilePermissions(source).contains(PosixFilePermission.OWNER_EXECUTE)
          ? EXECUTABLE
          : READABLE;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A layer of the staged files and trees at {@code imagePaths}. */
  private FileEntriesLayer tree(String name, List<String> imagePaths) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    for (String imagePath : imagePaths) {
      layer.addEntryRecursive(
          fs.at(imagePath),
          AbsoluteUnixPath.get(
              imagePath.endsWith("/") ? imagePath.substring(0, imagePath.length() - 1) : imagePath),
          (source, inImage) -> permissions(source),
          (source, inImage) -> FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
    }
    return layer.build();
  }
}
