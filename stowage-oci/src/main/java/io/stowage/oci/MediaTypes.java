package io.stowage.oci;

import java.util.Optional;

/** The media types of the OCI image specification and their Docker schema 2 equivalents. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = OCI_LAYER + "+gzip";
  public static final String OCI_LAYER_ZSTD = OCI_LAYER + "+zstd";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";

  /** What manifest GETs accept: both families, images and indexes. */
  public static final String ACCEPT_MANIFESTS =
      String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);

  private MediaTypes() {}

  /** How a layer's bytes are compressed. */
  public enum Compression {
    NONE("none"),
    GZIP("gzip"),
    ZSTD("zstd");

    private final String label;

    Compression(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public String ociMediaType() {
      return switch (this) {
        case NONE -> OCI_LAYER;
        case GZIP -> OCI_LAYER_GZIP;
        case ZSTD -> OCI_LAYER_ZSTD;
      };
    }
  }

  /** The compression a layer media type implies, or empty when it is not a layer type we read. */
  public static Optional<Compression> layerCompression(String mediaType) {
    return switch (mediaType) {
      case OCI_LAYER, DOCKER_LAYER, "application/vnd.oci.image.layer.nondistributable.v1.tar" ->
          Optional.of(Compression.NONE);
      case OCI_LAYER_GZIP,
          DOCKER_LAYER_GZIP,
          "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" ->
          Optional.of(Compression.GZIP);
      case OCI_LAYER_ZSTD -> Optional.of(Compression.ZSTD);
      default -> Optional.empty();
    };
  }

  public static boolean isIndex(String mediaType) {
    return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
  }

  public static boolean isManifest(String mediaType) {
    return mediaType.equals(OCI_MANIFEST) || mediaType.equals(DOCKER_MANIFEST);
  }
}
