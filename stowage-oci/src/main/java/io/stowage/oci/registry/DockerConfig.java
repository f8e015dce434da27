package io.stowage.oci.registry;

import io.stowage.oci.Json;
import io.stowage.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Credentials from a Docker {@code config.json}: {@code auths} entries ({@code auth} as base64
 * {@code user:password}, or {@code username}/{@code password}, or {@code identitytoken}), and
 * {@code credHelpers}/{@code credsStore} helpers ({@code docker-credential-<name> get}), used only
 * where the helper binary exists on the {@code PATH}.
 */
public final class DockerConfig implements CredentialStore {
  private static final long HELPER_TIMEOUT_SECONDS = 30;
  private static final List<String> DOCKER_HUB_KEYS =
      List.of(
          "https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io");

  private final Path file;
  private final Map<String, Map<String, Object>> auths = new LinkedHashMap<>();
  private final Map<String, String> helpers = new LinkedHashMap<>();
  private final Optional<String> defaultStore;
  private final List<Path> searchPath;
  private final Map<String, Credentials> resolved = new ConcurrentHashMap<>();

  private DockerConfig(Path file, Map<String, Object> json, List<Path> searchPath) {
    this.file = file;
    this.searchPath = List.copyOf(searchPath);
    Json.object(json, "auths")
        .ifPresent(
            a ->
                a.forEach(
                    (k, v) -> {
                      if (v instanceof Map<?, ?>) {
                        auths.put(normalize(k), Json.object(a, k).orElseThrow());
                      }
                    }));
    Json.strings(json, "credHelpers").forEach((k, v) -> helpers.put(normalize(k), v));
    this.defaultStore = Json.string(json, "credsStore").filter(s -> !s.isBlank());
  }

  /**
   * Reads {@code file}; a missing file means anonymous access.
   *
   * @param searchPath directories to find credential helpers in (the {@code PATH})
   * @throws StorageException of class {@code USAGE} when the file is not valid JSON
   */
  public static CredentialStore load(Path file, List<Path> searchPath) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return CredentialStore.anonymous();
    } catch (IOException e) {
      throw StorageException.usage(
          "Cannot read the registry credentials in " + file + ": " + e.getMessage());
    }
    try {
      return new DockerConfig(file, Json.parseObject(bytes), searchPath);
    } catch (IllegalArgumentException e) {
      throw StorageException.usage(
          "The registry credentials file " + file + " is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * A {@code PATH} value as directories, where credential helpers are looked up; the settings layer
   * hands in the process's own.
   */
  public static List<Path> searchPath(String path) {
    return java.util.Arrays.stream(path.split(":"))
        .filter(s -> !s.isEmpty())
        .map(Path::of)
        .toList();
  }

  @Override
  public Credentials forRegistry(String registry) {
    String key = normalize(registry);
    return resolved.computeIfAbsent(key, this::resolve);
  }

  private Credentials resolve(String key) {
    List<String> keys =
        isDockerHub(key)
            ? DOCKER_HUB_KEYS.stream().map(DockerConfig::normalize).toList()
            : List.of(key);
    for (String k : keys) {
      String helper = helpers.get(k);
      if (helper != null) {
        Optional<Credentials> c = fromHelper(helper, k);
        if (c.isPresent()) {
          return c.get();
        }
      }
    }
    for (String k : keys) {
      Map<String, Object> entry = auths.get(k);
      if (entry != null) {
        Optional<Credentials> c = fromEntry(entry, k);
        if (c.isPresent()) {
          return c.get();
        }
      }
    }
    if (defaultStore.isPresent()) {
      return fromHelper(defaultStore.get(), keys.get(0)).orElse(new Credentials.Anonymous());
    }
    return new Credentials.Anonymous();
  }

  private Optional<Credentials> fromEntry(Map<String, Object> entry, String registry) {
    Optional<String> identity = Json.string(entry, "identitytoken").filter(s -> !s.isEmpty());
    if (identity.isPresent()) {
      return Optional.of(new Credentials.IdentityToken(identity.get()));
    }
    Optional<String> auth = Json.string(entry, "auth").filter(s -> !s.isEmpty());
    if (auth.isPresent()) {
      String decoded;
      try {
        decoded =
            new String(Base64.getDecoder().decode(auth.get().strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw StorageException.usage(
            "The 'auth' value for " + registry + " in " + file + " is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw StorageException.usage(
            "The 'auth' value for " + registry + " in " + file + " is not base64 of user:password");
      }
      return Optional.of(
          new Credentials.Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    Optional<String> user = Json.string(entry, "username");
    Optional<String> password = Json.string(entry, "password");
    if (user.isPresent() && password.isPresent()) {
      return Optional.of(new Credentials.Basic(user.get(), password.get()));
    }
    return Optional.empty();
  }

  /**
   * Asks {@code docker-credential-<helper>} for the registry's credentials; a helper that is not
   * installed, or knows nothing of the registry, yields nothing.
   */
  private Optional<Credentials> fromHelper(String helper, String registry) {
    Optional<Path> binary = findOnPath("docker-credential-" + helper);
    if (binary.isEmpty()) {
      return Optional.empty();
    }
    try {
      Process p =
          new ProcessBuilder(binary.get().toString(), "get")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(registry.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out;
      try (InputStream stdout = p.getInputStream()) {
        out = readBounded(stdout, 1 << 20);
      }
      if (!p.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw StorageException.usage(
            "The credential helper docker-credential-" + helper + " did not answer in time");
      }
      if (p.exitValue() != 0) {
        return Optional.empty(); // "credentials not found" is a non-zero exit
      }
      Map<String, Object> json = Json.parseObject(out);
      String user = Json.string(json, "Username").orElse("");
      String secret = Json.string(json, "Secret").orElse("");
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          user.equals("<token>")
              ? new Credentials.IdentityToken(secret)
              : new Credentials.Basic(user, secret));
    } catch (IOException | IllegalArgumentException e) {
      throw StorageException.usage(
          "The credential helper docker-credential-"
              + helper
              + " failed for "
              + registry
              + ": "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Optional<Path> findOnPath(String name) {
    for (Path dir : searchPath) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static byte[] readBounded(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      if (out.size() > max) {
        throw new IOException("answer larger than " + max + " bytes");
      }
    }
    return out.toByteArray();
  }

  /** {@code https://host:port/v1/} and {@code host:port} are the same registry. */
  static String normalize(String key) {
    String k = key.strip().toLowerCase(Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return k;
  }

  private static boolean isDockerHub(String key) {
    return DOCKER_HUB_KEYS.stream().map(DockerConfig::normalize).anyMatch(key::equals);
  }
}
