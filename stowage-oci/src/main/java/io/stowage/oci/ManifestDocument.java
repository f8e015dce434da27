package io.stowage.oci;

import java.util.Map;

/** What a manifest URL serves: an image manifest or an index of them. */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {

  String mediaType();

  /**
   * Parses a manifest or index. The document's own {@code mediaType} wins; the response's content
   * type decides when the document has none (older Docker clients omit it in indexes).
   *
   * @throws IllegalArgumentException when it is neither, or malformed
   */
  static ManifestDocument parse(byte[] bytes, String contentType) {
    Map<String, Object> o = Json.parseObject(bytes);
    String type = Json.string(o, "mediaType").orElse(contentType);
    if (MediaTypes.isIndex(type) || (!MediaTypes.isManifest(type) && o.containsKey("manifests"))) {
      return ImageIndex.fromJson(type, o);
    }
    if (MediaTypes.isManifest(type) || o.containsKey("layers")) {
      return ImageManifest.fromJson(type, o);
    }
    throw new IllegalArgumentException(
        "unsupported manifest type '" + type + "' (expected an OCI or Docker schema 2 image)");
  }
}
