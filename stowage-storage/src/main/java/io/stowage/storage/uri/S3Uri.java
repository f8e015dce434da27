package io.stowage.storage.uri;

import io.stowage.common.ObjectKeys;
import io.stowage.common.UriRedaction;
import io.stowage.storage.StorageException;

/**
 * {@code s3://bucket/key-or-prefix}. The bucket is the URI's host; the key is the rest without the
 * leading slash, with a trailing slash kept (KServe keeps it too, and it decides whether the URI
 * can name a single object). {@code s3://bucket} and {@code s3://bucket/} mean the whole bucket.
 */
public record S3Uri(String bucket, String key) implements StorageUri {
  static final String SCHEME = "s3://";

  public S3Uri {
    if (bucket.isEmpty()) {
      throw StorageException.usage(
          "Invalid S3 URI: no bucket name in " + UriRedaction.redact(SCHEME + "/" + key));
    }
    if (bucket.contains("/") || bucket.contains("?") || bucket.contains("#")) {
      throw StorageException.usage(
          "Invalid S3 bucket name in " + UriRedaction.redact(SCHEME + bucket + "/" + key));
    }
    String problem = ObjectKeys.problem(key);
    if (problem != null) {
      throw StorageException.usage(
          "Invalid S3 URI "
              + UriRedaction.redact(SCHEME + bucket + "/" + key)
              + ": the key has "
              + problem
              + "; write s3://<bucket>/<prefix> with names between the slashes");
    }
  }

  /** Parses {@code s3://bucket[/key]}; the scheme is matched without regard to case. */
  public static S3Uri parse(String uri) {
    if (!uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw StorageException.usage("Not an S3 URI: " + UriRedaction.redact(uri));
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return new S3Uri(rest, "");
    }
    return new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** True when the URI names the whole bucket. */
  public boolean isWholeBucket() {
    return key.isEmpty();
  }

  @Override
  public String display() {
    return UriRedaction.redact(SCHEME + bucket + (key.isEmpty() ? "" : "/" + key));
  }

  @Override
  public String toString() {
    return display();
  }
}
