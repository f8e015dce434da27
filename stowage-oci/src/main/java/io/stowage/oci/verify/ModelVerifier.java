package io.stowage.oci.verify;

import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.pull.ImageFiles;
import io.stowage.oci.pull.PullOptions;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a model pulled from an image: every file's bytes are those the image holds (computed from
 * its layers, each verified against its digest, nothing written). The manifest side of {@code
 * stowage verify} is {@code DestinationCheck}'s, as for every other source.
 */
public final class ModelVerifier {
  private ModelVerifier() {}

  /** What differs. */
  public enum Kind {
    MISSING,
    EXTRA,
    CHANGED
  }

  public record Difference(Kind kind, String path, String detail) {
    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT)
          + ": "
          + path
          + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  /**
   * Compares the files an image holds under {@code /models} with the destination's, byte for byte
   * (by SHA-256).
   */
  public static List<Difference> checkImage(
      Registries registries, PullOptions options, ImageReference image, Path destination) {
    Map<RelativePath, Digest> expected = ImageFiles.digests(registries, options, image);
    List<Difference> diffs = new ArrayList<>();
    for (Map.Entry<RelativePath, Digest> e : expected.entrySet()) {
      Path p = e.getKey().resolveUnder(destination);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        diffs.add(new Difference(Kind.MISSING, e.getKey().value(), "in " + image));
        continue;
      }
      Digest actual = sha256(p);
      if (!actual.equals(e.getValue())) {
        diffs.add(
            new Difference(
                Kind.CHANGED,
                e.getKey().value(),
                "content differs from the image's " + e.getValue().shortHex()));
      }
    }
    return diffs;
  }

  private static Digest sha256(Path p) {
    MessageDigest md = Digest.sha256();
    byte[] buffer = new byte[1024 * 1024];
    try (InputStream in = Files.newInputStream(p)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw StorageException.disk("Cannot read " + p + ": " + e.getMessage(), e);
    }
    return Digest.of(md);
  }
}
