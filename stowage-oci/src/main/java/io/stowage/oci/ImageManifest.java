package io.stowage.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An image manifest: a config blob and layers, bottom first. */
public record ImageManifest(
    String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations)
    implements ManifestDocument {

  public ImageManifest {
    layers = List.copyOf(layers);
    annotations = Map.copyOf(annotations);
  }

  static ImageManifest fromJson(String mediaType, Map<String, Object> o) {
    Descriptor config =
        Descriptor.fromJson(
            Json.object(o, "config")
                .orElseThrow(() -> new IllegalArgumentException("manifest without config")));
    List<Descriptor> layers = new ArrayList<>();
    for (Map<String, Object> l : Json.objects(o, "layers")) {
      layers.add(Descriptor.fromJson(l));
    }
    return new ImageManifest(mediaType, config, layers, Json.strings(o, "annotations"));
  }

  /** The OCI JSON form; the same manifest always gives the same bytes. */
  public byte[] toJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("schemaVersion", 2L);
    o.put("mediaType", mediaType);
    o.put("config", config.toJson());
    List<Object> ls = new ArrayList<>();
    for (Descriptor d : layers) {
      ls.add(d.toJson());
    }
    o.put("layers", ls);
    if (!annotations.isEmpty()) {
      o.put("annotations", new TreeMap<>(annotations));
    }
    return Json.write(o);
  }
}
