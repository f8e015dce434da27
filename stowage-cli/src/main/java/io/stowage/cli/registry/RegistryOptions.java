package io.stowage.cli.registry;

import io.stowage.cli.ConsoleLog;
import io.stowage.cli.Redactor;
import io.stowage.oci.OciSettings;
import io.stowage.oci.Platform;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --insecure}, {@code --registry-config}, {@code --ca-bundle}, {@code --platform}. */
public final class RegistryOptions {
  @Option(
      names = "--insecure",
      description = "Talk to the registry over plain HTTP (KSERVE_OCI_INSECURE_REGISTRY=true).")
  boolean insecure;

  @Option(
      names = "--registry-config",
      paramLabel = "FILE",
      description =
          "Docker config.json with registry credentials (auths, credHelpers); default:"
              + " KSERVE_OCI_DOCKER_CONFIG, REGISTRY_AUTH_FILE, $DOCKER_CONFIG/config.json,"
              + " ~/.docker/config.json, the first that exists.")
  @Nullable Path registryConfig;

  @Option(
      names = "--ca-bundle",
      paramLabel = "PEM",
      description = "CA certificates to trust for the registry, beside the system's; repeatable.")
  List<Path> caBundles = new ArrayList<>();

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH",
      description = "Platform to take from multi-platform images (default linux/amd64).")
  @Nullable String platform;

  /** The settings for this invocation: the environment's, with these options on top. */
  public OciSettings settings(Map<String, String> env, InitializerSettings init) {
    Optional<Platform> p;
    try {
      p = Optional.ofNullable(platform).map(Platform::parse);
    } catch (IllegalArgumentException e) {
      throw StorageException.usage("--platform: " + e.getMessage());
    }
    return OciSettings.from(
        env,
        init,
        new OciSettings.Overrides(Optional.ofNullable(registryConfig), insecure, caBundles, p));
  }

  public Optional<Platform> platform() {
    return Optional.ofNullable(platform).map(Platform::parse);
  }

  /** Prints the failure as one line and returns its exit code. */
  public static int fail(ConsoleLog log, Failure failure, String reason) {
    log.error(failure.label() + " failure, exit code " + failure.exitCode() + ":");
    log.bare(reason);
    return failure.exitCode();
  }

  /** A log for the model tools' commands. */
  public static ConsoleLog log(String name, InitializerSettings settings) {
    ConsoleLog log = new ConsoleLog(System.err, "stowage." + name);
    log.redactWith(new Redactor(settings.secrets()));
    return log;
  }
}
