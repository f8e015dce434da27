package io.stowage.storage.s3;

import io.stowage.storage.net.Origin;
import io.stowage.storage.net.PercentEncoding;
import java.net.URI;
import java.util.Locale;

/**
 * Turns a bucket and key into the origin and request path of a request, per the addressing style
 * KServe users get from boto3: path-style on custom endpoints, virtual-hosted on AWS,
 * virtual-hosted when {@code S3_USER_VIRTUAL_BUCKET=true}, and virtual-hosted for the global AWS
 * endpoint outside {@code us-east-1} (which would otherwise answer PermanentRedirect).
 */
final class S3Addressing {
  private final S3Settings settings;
  private final URI base;
  private final boolean customEndpoint;

  S3Addressing(S3Settings settings) {
    this.settings = settings;
    this.customEndpoint = settings.endpoint().isPresent();
    this.base =
        settings.endpoint().orElseGet(() -> URI.create("https://" + awsHost(settings.region())));
  }

  /** The endpoint requests go to, for messages. */
  String endpointForDisplay() {
    return Origin.of(base).toString();
  }

  record Target(Origin origin, String path) {}

  /** Origin and encoded path of {@code key} in {@code bucket} (empty key for bucket requests). */
  Target target(String bucket, String key) {
    String encodedKey = PercentEncoding.path(key);
    if (settings.accelerate() && !customEndpoint) {
      return new Target(
          new Origin("https", bucket + ".s3-accelerate.amazonaws.com", 443), "/" + encodedKey);
    }
    Origin origin = Origin.of(base);
    String basePath = base.getRawPath() == null ? "" : stripTrailingSlash(base.getRawPath());
    if (virtualHosted(bucket)) {
      return new Target(
          new Origin(origin.scheme(), bucket + "." + origin.host(), origin.port()),
          basePath + "/" + encodedKey);
    }
    String keyPart = key.isEmpty() ? "" : "/" + encodedKey;
    return new Target(origin, basePath + "/" + PercentEncoding.path(bucket) + keyPart);
  }

  private boolean virtualHosted(String bucket) {
    return switch (settings.addressing()) {
      case PATH -> false;
      case VIRTUAL -> true;
      case AUTO -> {
        if (!customEndpoint) {
          // Dotted bucket names would not match the *.s3 wildcard certificate.
          yield !bucket.contains(".");
        }
        String host = base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT);
        yield host.equals("s3.amazonaws.com") && !settings.region().equals("us-east-1");
      }
    };
  }

  private static String awsHost(String region) {
    return region.equals("us-east-1") ? "s3.amazonaws.com" : "s3." + region + ".amazonaws.com";
  }

  private static String stripTrailingSlash(String p) {
    String out = p;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
