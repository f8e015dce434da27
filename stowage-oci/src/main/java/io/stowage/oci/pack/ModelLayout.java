package io.stowage.oci.pack;

import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How a model directory is split into layers: every file of at least {@code largeFileSize} bytes
 * gets a layer of its own (so pulls fetch big files in parallel and a changed shard changes one
 * layer), the smaller files share layers of at most {@code maxLayerSize} bytes. A model of more
 * shards than {@link #MAX_MODEL_LAYERS} puts consecutive shards together instead, as few per layer
 * as that limit allows. Paths are sorted, so the same directory always gives the same layers.
 */
public final class ModelLayout {
  /** Where KServe's modelcar sidecar expects the model inside the image. */
  public static final String MODELS = "models";

  /**
   * The most model layers an image gets, leaving room for a base: runtimes cap the layers of one
   * image (Docker at about 125, overlayfs mounts at a similar count).
   */
  public static final int MAX_MODEL_LAYERS = 100;

  private ModelLayout() {}

  /**
   * The layers of {@code modelDir}'s files, small-file groups first.
   *
   * @throws StorageException {@code USAGE} for a missing or empty directory, or a file larger than
   *     {@code maxLayerSize}; {@code UNSAFE_SOURCE} for links leaving the directory and special
   *     files
   */
  public static List<LayerContent> plan(Path modelDir, long largeFileSize, long maxLayerSize) {
    List<Path> paths = walk(modelDir);
    List<TarEntry> largeFiles = new ArrayList<>();
    List<List<TarEntry>> groups = new ArrayList<>();
    List<TarEntry> group = new ArrayList<>();
    Set<String> groupDirs = new LinkedHashSet<>();
    long groupBytes = 0;
    int files = 0;
    for (Path p : paths) {
      String rel = relative(modelDir, p);
      BasicFileAttributes a = attributes(p);
      String name = MODELS + "/" + rel;
      if (a.isDirectory()) {
        continue; // Directories are written as parents of what they hold.
      }
      files++;
      if (a.isSymbolicLink()) {
        String target = linkTarget(modelDir, p, rel);
        addParents(group, groupDirs, name);
        group.add(TarEntry.symlink(name, target));
        continue;
      }
      if (!a.isRegularFile()) {
        throw StorageException.unsafe(
            "Refusing to pack " + p + ": only regular files, directories and links can be packed");
      }
      long size = a.size();
      if (size > maxLayerSize) {
        throw StorageException.usage(
            p
                + " is "
                + size
                + " bytes, more than the layer size limit of "
                + maxLayerSize
                + " bytes; raise --max-layer-size if the registry accepts layers that large");
      }
      TarEntry file = TarEntry.file(name, p, size, isExecutable(p));
      if (size >= largeFileSize) {
        largeFiles.add(file);
        continue;
      }
      if (groupBytes + size > maxLayerSize && !group.isEmpty()) {
        groups.add(group);
        group = new ArrayList<>();
        groupDirs = new LinkedHashSet<>();
        groupBytes = 0;
      }
      addParents(group, groupDirs, name);
      group.add(file);
      groupBytes += size;
    }
    if (files == 0) {
      throw StorageException.usage(
          "No files to pack in " + modelDir + ": a modelcar needs a non-empty /models");
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    List<List<TarEntry>> large =
        largeLayers(largeFiles, Math.max(1, MAX_MODEL_LAYERS - groups.size()), maxLayerSize);
    // Small files first: the layer every pull needs early (config, tokenizer) comes first.
    List<LayerContent> layers = new ArrayList<>();
    groups.forEach(g -> layers.add(LayerContent.of(g)));
    large.forEach(l -> layers.add(LayerContent.of(l)));
    return layers;
  }

  /**
   * One layer per large file when they fit in {@code room} layers; otherwise runs of consecutive
   * files, as short as fit, each run kept within {@code maxLayerSize}.
   */
  private static List<List<TarEntry>> largeLayers(
      List<TarEntry> files, int room, long maxLayerSize) {
    int perLayer = (files.size() + room - 1) / room;
    List<List<TarEntry>> layers = new ArrayList<>();
    List<TarEntry> layer = new ArrayList<>();
    Set<String> dirs = new LinkedHashSet<>();
    long bytes = 0;
    int count = 0;
    for (TarEntry f : files) {
      if (count > 0 && (count >= perLayer || bytes + f.size() > maxLayerSize)) {
        layers.add(layer);
        layer = new ArrayList<>();
        dirs = new LinkedHashSet<>();
        bytes = 0;
        count = 0;
      }
      addParents(layer, dirs, f.name());
      layer.add(f);
      bytes += f.size();
      count++;
    }
    if (!layer.isEmpty()) {
      layers.add(layer);
    }
    return layers;
  }

  private static List<Path> walk(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw StorageException.usage(
          "The model directory " + dir + " does not exist or is not a directory");
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir))
          .filter(p -> !isStowageOwn(dir, p))
          .sorted((x, y) -> relative(dir, x).compareTo(relative(dir, y)))
          .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw StorageException.disk("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stowage's manifest and staging files, left by a pull into the same directory, are not model.
   */
  private static boolean isStowageOwn(Path dir, Path p) {
    for (Path segment : dir.relativize(p)) {
      if (segment.toString().startsWith(RelativePath.RESERVED_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  private static String relative(Path dir, Path p) {
    StringBuilder sb = new StringBuilder();
    for (Path segment : dir.relativize(p)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(segment);
    }
    return sb.toString();
  }

  private static BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw StorageException.disk("Cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static boolean isExecutable(Path p) {
    try {
      return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
          .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** A relative link that stays inside the model directory; anything else is refused. */
  private static String linkTarget(Path dir, Path link, String rel) {
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw StorageException.disk("Cannot read the link " + link + ": " + e.getMessage(), e);
    }
    Path parent = link.toAbsolutePath().getParent();
    Path resolved = (parent == null ? dir : parent).resolve(target).normalize();
    if (target.startsWith("/") || !resolved.startsWith(dir.toAbsolutePath().normalize())) {
      throw StorageException.unsafe(
          "Refusing to pack the link "
              + rel
              + " -> "
              + target
              + ": it points outside the model directory");
    }
    return target;
  }

  private static void addParents(List<TarEntry> layer, Set<String> written, String name) {
    int slash = -1;
    while ((slash = name.indexOf('/', slash + 1)) >= 0) {
      String dir = name.substring(0, slash);
      if (written.add(dir)) {
        layer.add(TarEntry.directory(dir));
      }
    }
  }
}
