package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * KServe's manager as {@code e2e/kserve/build.sh} builds it, in the folder it prints: {@code
 * manager} (the binary), {@code config} (KServe's own config/ tree of the same module version:
 * CRDs, the inferenceservice-config ConfigMap, webhook configurations) and {@code version}.
 *
 * <p>Found in the first of: system property {@code stowage.kserve.dir}; environment variable {@code
 * STOWAGE_KSERVE_DIR} (what {@code .ci/run} exports); the newest version folder under {@code
 * ${STOWAGE_CACHE:-~/.cache/stowage}/kserve/}.
 */
public final class KServeBuild {
  public static final String PROPERTY = "stowage.kserve.dir";
  public static final String ENVIRONMENT = "STOWAGE_KSERVE_DIR";

  private final Path dir;

  private KServeBuild(Path dir) {
    this.dir = dir;
  }

  /** The build of this machine, or empty when no complete folder is found. */
  public static Optional<KServeBuild> find() {
    return find(System.getProperties(), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  static Optional<KServeBuild> find(Properties properties, Map<String, String> env, Path home) {
    String value = properties.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = env.get(ENVIRONMENT);
    }
    @Nullable Path dir = value == null || value.isBlank() ? null : Path.of(value);
    if (dir == null) {
      String cache = env.get("STOWAGE_CACHE");
      Path root =
          cache == null || cache.isBlank() ? home.resolve(".cache/stowage") : Path.of(cache);
      dir = newestBuilt(root.resolve("kserve")).orElse(null);
    }
    if (dir == null || !complete(dir)) {
      return Optional.empty();
    }
    return Optional.of(new KServeBuild(dir.toAbsolutePath().normalize()));
  }

  /**
   * The build, or — on a developer's machine — empty for an assumption; under {@code CI=true} a
   * missing build throws instead (see {@link Tools#needed}), so the differential tests never pass
   * by being skipped there.
   */
  public static Optional<KServeBuild> needed() {
    Optional<KServeBuild> found = find();
    Tools.needed(
        found.isPresent(),
        "KServe's manager and config/ (from e2e/kserve/build.sh, in $" + ENVIRONMENT + ")");
    return found;
  }

  public Path manager() {
    return dir.resolve("manager");
  }

  /** KServe's config/ tree of the same version as {@link #manager()}. */
  public Path config() {
    return dir.resolve("config");
  }

  /** KServe's module version, {@code v0.20.0}. */
  public String version() {
    try {
      return Files.readString(dir.resolve("version"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("version"), e);
    }
  }

  public Path dir() {
    return dir;
  }

  private static Optional<Path> newestBuilt(Path versions) {
    if (!Files.isDirectory(versions)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(versions)) {
      return dirs.filter(d -> d.getFileName().toString().matches("v\\d+\\.\\d+\\.\\d+"))
          .filter(KServeBuild::complete)
          .max(Comparator.comparing(KServeBuild::versionKey));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + versions, e);
    }
  }

  private static String versionKey(Path dir) {
    StringBuilder key = new StringBuilder();
    for (String part : dir.getFileName().toString().substring(1).split("\\.", -1)) {
      key.append(String.format("%08d", Integer.parseInt(part)));
    }
    return key.toString();
  }

  private static boolean complete(Path dir) {
    return Files.isExecutable(dir.resolve("manager"))
        && Files.isDirectory(dir.resolve("config/crd/full"))
        && Files.isRegularFile(dir.resolve("version"));
  }
}
