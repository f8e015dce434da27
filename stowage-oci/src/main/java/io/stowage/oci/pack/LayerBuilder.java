package io.stowage.oci.pack;

import com.github.luben.zstd.ZstdOutputStream;
import io.stowage.oci.Digest;
import io.stowage.oci.MediaTypes.Compression;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Computes a layer's digests. An uncompressed layer is hashed straight from the model files and
 * later streamed from them again; a compressed one is written once to a temporary file in the work
 * directory, since its bytes cannot be recomputed for free.
 */
final class LayerBuilder {
  static final String TITLE = "org.opencontainers.image.title";
  private static final int BUFFER = 1024 * 1024;

  /** zstd level 3 (its default): fast; weights barely compress at any level. */
  private static final int ZSTD_LEVEL = 3;

  private LayerBuilder() {}

  static BuiltLayer build(LayerContent content, Compression compression, Path workDir) {
    Map<String, String> annotations = new TreeMap<>();
    if (content.entries().stream().filter(e -> e.kind() == TarEntry.Kind.FILE).count() == 1) {
      content.entries().stream()
          .filter(e -> e.kind() == TarEntry.Kind.FILE)
          .findFirst()
          .ifPresent(e -> annotations.put(TITLE, "/" + e.name()));
    }
    byte[] buffer = new byte[BUFFER];
    try {
      if (compression == Compression.NONE) {
        MessageDigest md = Digest.sha256();
        try (InputStream in = content.open()) {
          for (int n; (n = in.read(buffer)) >= 0; ) {
            md.update(buffer, 0, n);
          }
        }
        Digest d = Digest.of(md);
        return new BuiltLayer(compression, d, content.length(), d, content::open, annotations);
      }
      Files.createDirectories(workDir);
      Path temp = Files.createTempFile(workDir, "stowage-layer-", ".blob");
      temp.toFile().deleteOnExit();
      MessageDigest diff = Digest.sha256();
      MessageDigest blob = Digest.sha256();
      try (InputStream in = content.open();
          DigestOutputStream counted =
              new DigestOutputStream(
                  new BufferedOutputStream(Files.newOutputStream(temp), BUFFER), blob);
          OutputStream out = compressor(compression, counted)) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          diff.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      long size = Files.size(temp);
      return new BuiltLayer(
          compression,
          Digest.of(blob),
          size,
          Digest.of(diff),
          () -> Files.newInputStream(temp),
          annotations);
    } catch (IOException e) {
      throw StorageException.disk("Cannot build a layer: " + e.getMessage(), e);
    } catch (LinkageError e) {
      throw new StorageException(
          Failure.INTERNAL,
          "Cannot compress with zstd: the zstd-jni native library did not load (" + e + ")",
          e);
    }
  }

  private static OutputStream compressor(Compression c, OutputStream out) throws IOException {
    return switch (c) {
      case GZIP ->
          new GZIPOutputStream(out, BUFFER) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          };
      case ZSTD -> {
        ZstdOutputStream z = new ZstdOutputStream(out, ZSTD_LEVEL);
        z.setChecksum(true);
        yield z;
      }
      case NONE -> out;
    };
  }
}
