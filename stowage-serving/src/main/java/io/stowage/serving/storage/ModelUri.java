package io.stowage.serving.storage;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code storageUri} as the planner wires it: one record per kind of wiring. Parsing checks what
 * the cluster would reject later (a bucket-less {@code s3://}, an invalid claim name or sub-path,
 * an image reference the kubelet cannot pull), with one message naming the URI and the fix.
 */
public sealed interface ModelUri {
  /** The URI as written. */
  String text();

  /** {@code s3://bucket[/key]}: downloaded by the storage initializer. */
  record S3(String text, String bucket, String key) implements ModelUri {}

  /** {@code pvc://claim[/path]}: mounted directly, {@code path} as the sub-path. */
  record Pvc(String text, String claim, String path) implements ModelUri {}

  /**
   * {@code oci://image} (a modelcar, or an image volume when configured) or {@code
   * oci+native://image} (always an image volume).
   */
  record Oci(String text, String image, boolean imageVolume) implements ModelUri {}

  /**
   * Any other remote scheme the storage initializer downloads ({@code hf://}, {@code https://}).
   */
  record Remote(String text, String scheme) implements ModelUri {}

  /** A path without a scheme, passed to the storage initializer as KServe does. */
  record LocalPath(String text) implements ModelUri {}

  /** The prefixes KServe's controller accepts without a matching ClusterStorageContainer. */
  List<String> SUPPORTED_PREFIXES =
      List.of(
          "gs://",
          "s3://",
          "pvc://",
          "file://",
          "https://",
          "http://",
          "hdfs://",
          "webhdfs://",
          "oci://",
          "hf://");

  String OCI = "oci://";
  String OCI_NATIVE = "oci+native://";

  /** A URI that cannot be wired; {@link #getMessage()} says why and what to write instead. */
  final class InvalidUriException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidUriException(String message) {
      super(message);
    }

    InvalidUriException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Parses {@code uri}. {@code matchedByStorageContainer} says whether an enabled
   * ClusterStorageContainer claims it, which makes any scheme acceptable, as in KServe.
   */
  static ModelUri parse(String uri, boolean matchedByStorageContainer) throws InvalidUriException {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("s3://")) {
      return UriParsers.s3(uri);
    }
    if (lower.startsWith("pvc://")) {
      return UriParsers.pvc(uri);
    }
    if (lower.startsWith(OCI_NATIVE)) {
      return UriParsers.oci(uri, OCI_NATIVE.length(), true);
    }
    if (lower.startsWith(OCI)) {
      return UriParsers.oci(uri, OCI.length(), false);
    }
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd < 0) {
      return new LocalPath(uri);
    }
    String scheme = lower.substring(0, schemeEnd + 3);
    if (matchedByStorageContainer || SUPPORTED_PREFIXES.contains(scheme)) {
      return new Remote(uri, scheme);
    }
    throw new InvalidUriException(
        "StorageURI not supported: storageUri, must be one of: ["
            + String.join(", ", SUPPORTED_PREFIXES)
            + "] or match https://{}.blob.core.windows.net/{}/{} or be an absolute or relative"
            + " local path. StorageUri ["
            + UriParsers.redact(uri)
            + "] is not supported");
  }

  /** True for the URIs that become a volume, not a download. */
  static boolean isPvc(String uri) {
    return uri.toLowerCase(Locale.ROOT).startsWith("pvc://");
  }

  /** A Kubernetes object name (DNS-1123 subdomain). */
  Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
}
