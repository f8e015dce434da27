package io.stowage.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An index (multi-platform image): manifests, each for a platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) implements ManifestDocument {

  public ImageIndex {
    manifests = List.copyOf(manifests);
  }

  static ImageIndex fromJson(String mediaType, Map<String, Object> o) {
    List<Descriptor> ms = new ArrayList<>();
    for (Map<String, Object> m : Json.objects(o, "manifests")) {
      ms.add(Descriptor.fromJson(m));
    }
    return new ImageIndex(mediaType, ms);
  }

  /**
   * The manifest for {@code wanted}; an index with a single entry without a platform (an artifact
   * index) yields that entry.
   */
  public Optional<Descriptor> select(Platform wanted) {
    for (Descriptor d : manifests) {
      if (d.platform().isPresent()
          && wanted.accepts(d.platform().get())
          && MediaTypes.isManifest(d.mediaType())) {
        return Optional.of(d);
      }
    }
    List<Descriptor> unlabelled =
        manifests.stream()
            .filter(d -> d.platform().isEmpty() && MediaTypes.isManifest(d.mediaType()))
            .toList();
    return unlabelled.size() == 1 ? Optional.of(unlabelled.get(0)) : Optional.empty();
  }

  /** The platforms the index offers, for messages. */
  public List<String> platforms() {
    return manifests.stream()
        .map(d -> d.platform().map(Platform::toString).orElse("unspecified"))
        .toList();
  }
}
