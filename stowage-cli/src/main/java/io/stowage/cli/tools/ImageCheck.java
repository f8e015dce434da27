package io.stowage.cli.tools;

import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.OciSettings;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.verify.ModelVerifier;
import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.DestinationCheck;
import io.stowage.storage.transfer.ManifestView;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content of files extracted from OCI images, against the image's layers. Extracted files carry
 * no digest of their own in the manifest (an image names layers, not files), so a same-size,
 * same-time rewrite is only visible by hashing them against the files the registry's layers hold.
 */
final class ImageCheck {
  private ImageCheck() {}

  /** The images {@code dir} was pulled from, pinned to the digest that was pulled. */
  static List<ImageReference> recordedImages(Path dir) {
    try {
      List<ImageReference> images = new ArrayList<>();
      for (ManifestView.RecordedExtraction x : ManifestView.read(dir).extractions().values()) {
        if (x.source().startsWith(ImageReference.SCHEME)
            && !x.source().contains("#")
            && x.version().startsWith(Digest.PREFIX)) {
          images.add(ImageReference.parse(x.source()).withDigest(Digest.parse(x.version())));
        }
      }
      return images;
    } catch (IOException e) {
      throw StorageException.disk("Cannot read the manifest of " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code report} with what the images' layers say about {@code dir} added; findings for a path
   * the manifest check already reported are not repeated.
   */
  static DestinationCheck.Report add(
      DestinationCheck.Report report,
      List<ImageReference> images,
      Path dir,
      Map<String, String> env,
      InitializerSettings settings,
      OciSettings.Overrides registry) {
    if (images.isEmpty()) {
      return report;
    }
    OciSettings oci = OciSettings.from(env, settings, registry);
    List<DestinationCheck.Finding> findings = new ArrayList<>(report.findings());
    Set<RelativePath> seen = new HashSet<>();
    report.findings().forEach(f -> seen.add(f.path()));
    int hashed = report.hashed();
    try (Registries registries = new Registries(oci.registry())) {
      for (ImageReference image : images) {
        for (ModelVerifier.Difference d :
            ModelVerifier.checkImage(registries, oci.pull(), image, dir)) {
          RelativePath path = new RelativePath(d.path());
          if (seen.add(path)) {
            findings.add(
                switch (d.kind()) {
                  case MISSING -> new DestinationCheck.Missing(path, d.detail());
                  case EXTRA -> new DestinationCheck.Extra(path, d.detail());
                  case CHANGED -> new DestinationCheck.Changed(path, d.detail());
                });
          }
        }
      }
    }
    for (ManifestView.RecordedExtraction x : extractionsOf(dir, images)) {
      hashed += x.files().size();
    }
    findings.sort(
        (a, b) ->
            a.path().equals(b.path())
                ? a.kind().compareTo(b.kind())
                : a.path().compareTo(b.path()));
    return new DestinationCheck.Report(
        report.files(), report.bytes(), hashed, report.incompleteSources(), findings);
  }

  private static List<ManifestView.RecordedExtraction> extractionsOf(
      Path dir, List<ImageReference> images) {
    Set<String> digests = new HashSet<>();
    images.forEach(i -> digests.add(i.digest().map(Digest::toString).orElse("")));
    try {
      return ManifestView.read(dir).extractions().values().stream()
          .filter(x -> digests.contains(x.version()))
          .toList();
    } catch (IOException e) {
      throw StorageException.disk("Cannot read the manifest of " + dir + ": " + e.getMessage(), e);
    }
  }
}
