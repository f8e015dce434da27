package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The real Kubernetes control plane and etcd binaries that {@code e2e/k8s/build.sh} builds, in the
 * folder it prints: {@code kube-apiserver}, {@code kube-controller-manager}, {@code etcd}, {@code
 * kubectl} and the node binaries.
 *
 * <p>Found in the first of: system property {@code stowage.k8s.bin}; environment variable {@code
 * STOWAGE_K8S_BIN} (what {@code .ci/run} exports); the newest {@code <version>-linux-amd64} folder
 * under the script's cache, {@code ${STOWAGE_CACHE:-~/.cache/stowage}/k8s/k8s/} (fabric8
 * kube-api-test's layout).
 */
public final class KubeBinaries {
  public static final String PROPERTY = "stowage.k8s.bin";
  public static final String ENVIRONMENT = "STOWAGE_K8S_BIN";
  static final String PLATFORM_SUFFIX = "-linux-amd64";

  /** What the control plane fixture runs; the node binaries are built too but not needed yet. */
  static final List<String> NEEDED =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

  private final Path dir;

  private KubeBinaries(Path dir) {
    this.dir = dir;
  }

  /** The binaries of this machine, or empty when no complete folder is found. */
  public static Optional<KubeBinaries> find() {
    return find(System.getProperties(), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  static Optional<KubeBinaries> find(Properties properties, Map<String, String> env, Path home) {
    @Nullable Path dir = configured(properties, env);
    if (dir == null) {
      dir = newestBuilt(cache(env, home)).orElse(null);
    }
    if (dir == null || !complete(dir)) {
      return Optional.empty();
    }
    return Optional.of(new KubeBinaries(dir.toAbsolutePath().normalize()));
  }

  /**
   * The binaries, or — on a developer's machine — empty for an assumption; under {@code CI=true} a
   * missing binary throws instead (see {@link Tools#needed}), so the real-server tests never pass
   * by being skipped there.
   */
  public static Optional<KubeBinaries> needed() {
    Optional<KubeBinaries> found = find();
    Tools.needed(
        found.isPresent(),
        "a Kubernetes binary (kube-apiserver, kube-controller-manager, etcd or kubectl from"
            + " e2e/k8s/build.sh, in $"
            + ENVIRONMENT
            + ")");
    return found;
  }

  public Path dir() {
    return dir;
  }

  public Path binary(String name) {
    return dir.resolve(name);
  }

  /** The Kubernetes version, from the folder's name ({@code 1.37.2-linux-amd64}). */
  public String version() {
    String name = dir.getFileName().toString();
    return name.endsWith(PLATFORM_SUFFIX)
        ? name.substring(0, name.length() - PLATFORM_SUFFIX.length())
        : name;
  }

  private static @Nullable Path configured(Properties properties, Map<String, String> env) {
    String value = properties.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = env.get(ENVIRONMENT);
    }
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  private static Path cache(Map<String, String> env, Path home) {
    String cache = env.get("STOWAGE_CACHE");
    Path root = cache == null || cache.isBlank() ? home.resolve(".cache/stowage") : Path.of(cache);
    return root.resolve("k8s/k8s");
  }

  private static Optional<Path> newestBuilt(Path versions) {
    if (!Files.isDirectory(versions)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(versions)) {
      return dirs.filter(d -> d.getFileName().toString().endsWith(PLATFORM_SUFFIX))
          .filter(KubeBinaries::complete)
          .max(Comparator.comparing(KubeBinaries::versionKey));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + versions, e);
    }
  }

  /** 1.37.2 after 1.9.10: compared number by number, zero-padded. */
  private static String versionKey(Path dir) {
    StringBuilder key = new StringBuilder();
    for (String part : new KubeBinaries(dir).version().split("\\.", -1)) {
      key.append(String.format("%08d", part.matches("\\d{1,8}") ? Integer.parseInt(part) : 0));
    }
    return key.toString();
  }

  private static boolean complete(Path dir) {
    return NEEDED.stream().allMatch(b -> Files.isExecutable(dir.resolve(b)));
  }
}
