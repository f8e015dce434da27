package io.stowage.cli.tools;

import io.stowage.oci.ImageReference;
import io.stowage.oci.OciSettings;
import io.stowage.oci.registry.Registries;
import io.stowage.oci.verify.ModelVerifier;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.storage.transfer.DestinationCheck;
import io.stowage.storage.transfer.RelativePath;
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
        ModelVerifier.Comparison c = ModelVerifier.checkImage(registries, oci.pull(), image, dir);
        hashed += c.files();
        for (DestinationCheck.Finding f : c.findings()) {
          if (seen.add(f.path())) {
            findings.add(f);
          }
        }
      }
    }
    findings.sort(
        (a, b) ->
            a.path().equals(b.path())
                ? a.kind().compareTo(b.kind())
                : a.path().compareTo(b.path()));
    return new DestinationCheck.Report(
        report.files(), report.bytes(), hashed, report.incompleteSources(), findings);
  }
}
