package io.stowage.cli.tools;

import io.stowage.oci.OciSettings;
import io.stowage.oci.Platform;
import io.stowage.storage.StorageException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The storage flags every tool shares. Each sets the environment variable the initializer reads, so
 * a flag and its variable mean exactly the same thing and the README's settings table applies.
 */
public final class StoreOptions {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "S3 endpoint, e.g. http://minio.minio:9000 (sets AWS_ENDPOINT_URL).")
  @Nullable String endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "S3 region (sets AWS_REGION; default us-east-1 or the profile's).")
  @Nullable String region;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "Credentials and region from this profile of ~/.aws/credentials and ~/.aws/config,"
              + " instead of AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (sets AWS_PROFILE).")
  @Nullable String profile;

  @Option(
      names = "--anonymous",
      description = "Unsigned requests, for public buckets (sets awsAnonymousCredential=true).")
  boolean anonymous;

  @Option(
      names = "--insecure",
      description =
          "Do not verify the S3 endpoint's TLS certificate (sets S3_VERIFY_SSL=0); talk to OCI"
              + " registries over plain HTTP.")
  boolean insecure;

  @Option(
      names = "--registry-config",
      paramLabel = "FILE",
      description =
          "For oci:// URIs: a Docker config.json with registry credentials (auths, credHelpers);"
              + " default: KSERVE_OCI_DOCKER_CONFIG, REGISTRY_AUTH_FILE,"
              + " $DOCKER_CONFIG/config.json, ~/.docker/config.json, the first that exists.")
  @Nullable Path registryConfig;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH",
      description =
          "For oci:// URIs: the platform to take from multi-platform images (default"
              + " linux/amd64, or STOWAGE_OCI_PLATFORM).")
  @Nullable String platform;

  @Option(
      names = "--ca-bundle",
      paramLabel = "FILE",
      description =
          "PEM file of CAs to trust, for S3 and https sources (sets AWS_CA_BUNDLE and"
              + " REQUESTS_CA_BUNDLE).")
  @Nullable Path caBundle;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Requests in flight (sets STOWAGE_CONCURRENCY; default 2 per core, 4-16).")
  @Nullable Integer concurrency;

  @Option(
      names = "--part-size",
      paramLabel = "SIZE",
      description =
          "Bytes per ranged request or uploaded part, e.g. 64Mi (sets STOWAGE_PART_SIZE).")
  @Nullable String partSize;

  /** The registry options for {@code oci://} URIs (the rest reaches them through the settings). */
  public OciSettings.Overrides registry() {
    Optional<Platform> p;
    try {
      p = Optional.ofNullable(platform).map(Platform::parse);
    } catch (IllegalArgumentException e) {
      throw StorageException.usage("--platform: " + e.getMessage());
    }
    return new OciSettings.Overrides(Optional.ofNullable(registryConfig), insecure, List.of(), p);
  }

  /** The process environment with the flags applied on top. */
  public Map<String, String> environment(Map<String, String> base) {
    Map<String, String> env = new HashMap<>(base);
    if (endpoint != null) {
      env.put("AWS_ENDPOINT_URL", endpoint);
      env.remove("S3_ENDPOINT");
    }
    if (region != null) {
      env.put("AWS_REGION", region);
      env.remove("AWS_DEFAULT_REGION");
    }
    if (profile != null) {
      // The profile is the credential source: keys in the environment would otherwise win.
      for (String k : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
        env.remove(k);
      }
      env.put("AWS_PROFILE", profile);
    }
    if (anonymous) {
      env.put("awsAnonymousCredential", "true");
    }
    if (insecure) {
      env.put("S3_VERIFY_SSL", "0");
    }
    if (caBundle != null) {
      env.put("AWS_CA_BUNDLE", caBundle.toString());
      env.put("REQUESTS_CA_BUNDLE", caBundle.toString());
    }
    if (concurrency != null) {
      env.put("STOWAGE_CONCURRENCY", Integer.toString(concurrency));
    }
    if (partSize != null) {
      env.put("STOWAGE_PART_SIZE", partSize);
    }
    return env;
  }
}
