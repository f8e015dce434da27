package io.stowage.oci;

import io.stowage.oci.pull.PullOptions;
import io.stowage.oci.registry.CredentialStore;
import io.stowage.oci.registry.DockerConfig;
import io.stowage.oci.registry.RegistrySettings;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.NetSettings;
import io.stowage.storage.net.TlsSettings;
import io.stowage.storage.settings.InitializerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registry settings, read in one place from the environment (KServe's {@code
 * KSERVE_OCI_DOCKER_CONFIG} and {@code KSERVE_OCI_INSECURE_REGISTRY}, Docker's and Podman's
 * credential files, {@code STOWAGE_OCI_TOKEN_REALMS}) and the command line, on top of what the
 * initializer already reads (timeouts, CA bundles, proxies, concurrency, part size, retries,
 * fsync).
 *
 * @param credentialsFile the {@code config.json} credentials come from, if any
 */
public record OciSettings(
    RegistrySettings registry, PullOptions pull, Optional<Path> credentialsFile) {

  /** Where KServe's oci fetch mode mounts the pull secret. */
  public static final String KSERVE_DOCKER_CONFIG = "/mnt/oci-fetch-auth/config.json";

  /** Options the command line adds; empty/false when not given. */
  public record Overrides(
      Optional<Path> credentialsFile,
      boolean insecure,
      List<Path> caBundles,
      Optional<Platform> platform) {
    public static Overrides none() {
      return new Overrides(Optional.empty(), false, List.of(), Optional.empty());
    }
  }

  public static OciSettings from(
      Map<String, String> env, InitializerSettings init, Overrides overrides) {
    Optional<Path> file = overrides.credentialsFile().or(() -> credentialsFile(env));
    if (overrides.credentialsFile().isPresent() && !Files.isRegularFile(file.orElseThrow())) {
      throw StorageException.usage(
          "The registry credentials file " + file.get() + " does not exist");
    }
    CredentialStore credentials =
        file.map(f -> DockerConfig.load(f, DockerConfig.searchPath(env.getOrDefault("PATH", ""))))
            .orElse(CredentialStore.anonymous());
    for (Path ca : overrides.caBundles()) {
      if (!Files.isRegularFile(ca)) {
        throw StorageException.usage("The CA bundle " + ca + " does not exist");
      }
    }
    NetSettings web = init.httpNet();
    List<Path> bundles = new ArrayList<>(web.tls().caBundles());
    bundles.addAll(overrides.caBundles());
    NetSettings net =
        new NetSettings(
            web.connectTimeout(),
            web.readTimeout(),
            new TlsSettings(web.tls().verify(), bundles, web.tls().jdkTls()),
            web.proxy());
    RegistrySettings.PlainHttp plain =
        overrides.insecure() ? RegistrySettings.PlainHttp.everywhere() : plainHttp(env);
    RegistrySettings registry =
        new RegistrySettings(
            net,
            plain,
            credentials,
            init.transfer().retry(),
            RegistrySettings.DEFAULT_CHUNK_SIZE,
            hostList(env.getOrDefault("STOWAGE_OCI_TOKEN_REALMS", "")));
    Platform platform =
        overrides
            .platform()
            .or(
                () ->
                    Optional.ofNullable(env.get("STOWAGE_OCI_PLATFORM"))
                        .filter(s -> !s.isBlank())
                        .map(OciSettings::platform))
            .orElse(Platform.LINUX_AMD64);
    PullOptions pull =
        new PullOptions(
            platform,
            init.transfer().concurrency(),
            init.transfer().partSize(),
            init.transfer().retry(),
            init.transfer().fsync(),
            init.archiveLimits());
    return new OciSettings(registry, pull, file);
  }

  private static Platform platform(String s) {
    try {
      return Platform.parse(s);
    } catch (IllegalArgumentException e) {
      throw StorageException.usage("STOWAGE_OCI_PLATFORM: " + e.getMessage());
    }
  }

  /**
   * The first credentials file that exists: KServe's mount, Podman's {@code REGISTRY_AUTH_FILE},
   * Docker's {@code $DOCKER_CONFIG/config.json}, {@code ~/.docker/config.json}.
   */
  static Optional<Path> credentialsFile(Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of(env.getOrDefault("KSERVE_OCI_DOCKER_CONFIG", KSERVE_DOCKER_CONFIG)));
    Optional.ofNullable(env.get("REGISTRY_AUTH_FILE"))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .ifPresent(candidates::add);
    Optional.ofNullable(env.get("DOCKER_CONFIG"))
        .filter(s -> !s.isBlank())
        .map(d -> Path.of(d, "config.json"))
        .ifPresent(candidates::add);
    Optional.ofNullable(env.get("HOME"))
        .filter(s -> !s.isBlank())
        .map(h -> Path.of(h, ".docker", "config.json"))
        .ifPresent(candidates::add);
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  /** A comma list of host names, lower case, blanks dropped. */
  static Set<String> hostList(String v) {
    return Set.copyOf(
        Arrays.stream(v.split(",", -1))
            .map(s -> s.strip().toLowerCase(Locale.ROOT))
            .filter(s -> !s.isEmpty())
            .toList());
  }

  /** {@code KSERVE_OCI_INSECURE_REGISTRY}: {@code true} for all, or a comma list of registries. */
  static RegistrySettings.PlainHttp plainHttp(Map<String, String> env) {
    String v = env.getOrDefault("KSERVE_OCI_INSECURE_REGISTRY", "").strip();
    if (v.isEmpty() || v.equalsIgnoreCase("false") || v.equals("0")) {
      return RegistrySettings.PlainHttp.none();
    }
    if (v.equalsIgnoreCase("true") || v.equals("1")) {
      return RegistrySettings.PlainHttp.everywhere();
    }
    return new RegistrySettings.PlainHttp(false, hostList(v));
  }
}
