package io.stowage.storage.uri;

import io.stowage.storage.StorageException;
import java.util.List;
import java.util.Locale;

/**
 * Where a model is stored, parsed once from the URI string a user wrote in {@code storageUri}. One
 * record per scheme; code that handles storage switches over this sealed type.
 */
public sealed interface StorageUri permits S3Uri {

  /** The URI as the user wrote it, safe to print (no credentials). */
  String display();

  /** Schemes KServe's initializer knows that Stowage does not handle yet, as they are written. */
  List<String> NOT_YET_SUPPORTED =
      List.of(
          "gs://",
          "hdfs://",
          "webhdfs://",
          "hf://",
          "modelscope://",
          "oci://",
          "oci+native://",
          "oci+fetch://",
          "pvc://",
          "file://",
          "http://",
          "https://");

  /**
   * Parses a storage URI.
   *
   * @throws StorageException of class {@code USAGE} naming the URI when it is not a storage URI
   *     Stowage can fetch
   */
  static StorageUri parse(String uri) {
    String trimmed = uri.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith(S3Uri.SCHEME)) {
      return S3Uri.parse(trimmed);
    }
    String shown = Redaction.redact(trimmed);
    for (String scheme : NOT_YET_SUPPORTED) {
      if (lower.startsWith(scheme)) {
        throw StorageException.usage(
            "Storage type "
                + scheme
                + " is not supported by Stowage yet ("
                + shown
                + "); supported: s3://");
      }
    }
    if (trimmed.startsWith("/")) {
      throw StorageException.usage(
          "Local and PVC paths are not supported by Stowage yet (" + shown + "); supported: s3://");
    }
    throw StorageException.usage(
        "Cannot recognize storage type for " + shown + "; supported: s3://bucket/prefix");
  }
}
