package io.stowage.storage.uri;

import io.stowage.common.UriRedaction;
import io.stowage.storage.StorageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a model is stored, parsed once from the URI string a user wrote in {@code storageUri}. One
 * record per scheme; code that handles storage switches over this sealed type.
 */
public sealed interface StorageUri
    permits S3Uri, HttpUri, HuggingFaceUri, PvcUri, LocalUri, OciUri {

  /** The URI as the user wrote it, safe to print (no credentials). */
  String display();

  /** Schemes KServe's initializer knows that Stowage does not handle yet, as they are written. */
  List<String> NOT_YET_SUPPORTED =
      List.of("gs://", "hdfs://", "webhdfs://", "modelscope://", "oci+native://");

  /** Supported forms, for messages. */
  String SUPPORTED = "s3://, https://, http://, hf://, oci://, pvc://, file:// and local paths";

  Pattern AZURE_BLOB =
      Pattern.compile(
          "https://[^/]+\\.(blob\\.core\\.windows\\.net|z\\d+\\.blob\\.storage\\.azure\\.net)/.+");
  Pattern AZURE_FILE = Pattern.compile("https://[^/]+\\.file\\.core\\.windows\\.net/.+");

  /**
   * Parses a storage URI. Strings without a scheme are local paths; whether one exists is the local
   * source's question, not the parser's.
   *
   * @throws StorageException of class {@code USAGE} naming the URI when it is not a storage URI
   *     Stowage can fetch
   */
  static StorageUri parse(String uri) {
    String trimmed = uri.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    String shown = UriRedaction.redact(trimmed);
    if (lower.startsWith(S3Uri.SCHEME)) {
      return S3Uri.parse(trimmed);
    }
    if (lower.startsWith(HuggingFaceUri.SCHEME)) {
      return HuggingFaceUri.parse(trimmed);
    }
    if (lower.startsWith(PvcUri.SCHEME)) {
      return PvcUri.parse(trimmed);
    }
    if (OciUri.matches(lower)) {
      return OciUri.parse(trimmed);
    }
    if (lower.startsWith("file://")) {
      return new LocalUri(localPath(trimmed.substring("file://".length()), shown), trimmed);
    }
    for (String scheme : NOT_YET_SUPPORTED) {
      if (lower.startsWith(scheme)) {
        throw StorageException.usage(
            "Storage type "
                + scheme
                + " is not supported by Stowage yet ("
                + shown
                + "); supported: "
                + SUPPORTED);
      }
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      if (AZURE_BLOB.matcher(lower).matches() || AZURE_FILE.matcher(lower).matches()) {
        throw StorageException.usage(
            "Azure storage URIs are not supported by Stowage yet ("
                + shown
                + "); supported: "
                + SUPPORTED);
      }
      URI parsed = toUri(trimmed, shown);
      String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
      if (lower.startsWith("https://") && path.endsWith(".git")) {
        throw StorageException.usage(
            "Git repositories are not supported by Stowage yet ("
                + shown
                + "); supported: "
                + SUPPORTED);
      }
      return new HttpUri(parsed);
    }
    if (!trimmed.contains("://")) {
      return new LocalUri(localPath(trimmed, shown), trimmed);
    }
    throw unrecognized(shown);
  }

  /** KServe's message for a URI no source handles. */
  static StorageException unrecognized(String shown) {
    return StorageException.usage(
        "Cannot recognize storage type for " + shown + "; supported: " + SUPPORTED);
  }

  /** A path the filesystem can name (no NUL character), else a usage error rather than a crash. */
  private static Path localPath(String path, String shown) {
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      throw StorageException.usage(shown + " is not a valid local path: " + e.getReason());
    }
  }

  private static URI toUri(String uri, String shown) {
    try {
      URI parsed = new URI(uri);
      if (parsed.getHost() == null) {
        throw StorageException.usage("Invalid URL " + shown + ": no host");
      }
      return parsed;
    } catch (URISyntaxException e) {
      throw StorageException.usage("Invalid URL " + shown + ": " + e.getReason());
    }
  }
}
