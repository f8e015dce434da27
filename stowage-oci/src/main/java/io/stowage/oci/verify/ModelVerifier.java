package io.stowage.oci.verify;

import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.pull.ImageFiles;
import io.stowage.oci.pull.PullOptions;
import io.stowage.oci.pull.Puller;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.DestinationCheck;
import io.stowage.storage.transfer.ManifestView;
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

  /**
   * What comparing a directory with an image found.
   *
   * @param files files the image holds under {@code /models}, each hashed
   * @param findings the ones missing from the directory or with other bytes there
   */
  public record Comparison(int files, List<DestinationCheck.Finding> findings) {
    public Comparison {
      findings = List.copyOf(findings);
    }
  }

  /** The images {@code destination} was pulled from, pinned to the digest that was pulled. */
  public static List<ImageReference> pulledImages(Path destination) {
    try {
      List<ImageReference> images = new ArrayList<>();
      for (ManifestView.RecordedExtraction x :
          ManifestView.read(destination).extractions().values()) {
        if (x.source().startsWith(ImageReference.SCHEME)
            && !Puller.isLayerSource(x.source())
            && x.version().startsWith(Digest.PREFIX)) {
          images.add(ImageReference.parse(x.source()).withDigest(Digest.parse(x.version())));
        }
      }
      return images;
    } catch (IOException e) {
      throw StorageException.disk(
          "Cannot read the manifest of " + destination + ": " + e.getMessage(), e);
    }
  }

  /**
   * Compares the files an image holds under {@code /models} with the destination's, byte for byte
   * (by SHA-256).
   */
  public static Comparison checkImage(
      Registries registries, PullOptions options, ImageReference image, Path destination) {
    Map<RelativePath, Digest> expected = ImageFiles.digests(registries, options, image);
    List<DestinationCheck.Finding> findings = new ArrayList<>();
    for (Map.Entry<RelativePath, Digest> e : expected.entrySet()) {
      Path p = e.getKey().resolveUnder(destination);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        findings.add(new DestinationCheck.Missing(e.getKey(), "in " + image));
        continue;
      }
      Digest actual = sha256(p);
      if (!actual.equals(e.getValue())) {
        findings.add(
            new DestinationCheck.Changed(
                e.getKey(), "content differs from the image's " + e.getValue().shortHex()));
      }
    }
    return new Comparison(expected.size(), findings);
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
