package io.stowage.storage.archive;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The archive formats the initializer extracts, recognized by the file name's extension. */
public enum ArchiveFormat {
  TAR,
  TAR_GZIP,
  TAR_BZIP2,
  TAR_XZ,
  TAR_ZSTD,
  ZIP;

  /** The file name endings of the format, lower case. */
  List<String> suffixes() {
    return switch (this) {
      case TAR -> List.of(".tar");
      case TAR_GZIP -> List.of(".tar.gz", ".tgz");
      case TAR_BZIP2 -> List.of(".tar.bz2", ".tbz2");
      case TAR_XZ -> List.of(".tar.xz", ".txz");
      case TAR_ZSTD -> List.of(".tar.zst", ".tzst");
      case ZIP -> List.of(".zip");
    };
  }

  /**
   * By file name, any letter case: {@code .tar}; {@code .tar.gz} {@code .tgz}; {@code .tar.bz2}
   * {@code .tbz2}; {@code .tar.xz} {@code .txz}; {@code .tar.zst} {@code .tzst}; {@code .zip}.
   *
   * <p>A path is accepted too (only the part after the last {@code /} counts). A bare extension
   * such as {@code .tar} names no archive, and neither does a compressed file that is not a tar
   * ({@code model.onnx.gz}).
   */
  public static Optional<ArchiveFormat> ofFileName(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    // Compressed tar suffixes end in something other than ".tar", so the order only matters for
    // names like "x.tar.gz.tar" (KServe's HTTP gzip quirk), which are plain tars.
    for (ArchiveFormat format : values()) {
      for (String suffix : format.suffixes()) {
        if (base.length() > suffix.length() && base.endsWith(suffix)) {
          return Optional.of(format);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the archive is a tar stream, read front to back without random access. */
  boolean isTar() {
    return this != ZIP;
  }
}
