package io.stowage.oci;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A content descriptor: what a manifest says about a blob or another manifest.
 *
 * @param platform set for the entries of an index
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Map<String, String> annotations,
    Optional<Platform> platform) {

  public Descriptor {
    if (size < 0) {
      throw new IllegalArgumentException("negative size in descriptor " + digest);
    }
    annotations = Map.copyOf(annotations);
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, Map.of(), Optional.empty());
  }

  static Descriptor fromJson(Map<String, Object> o) {
    String mediaType =
        Json.string(o, "mediaType")
            .orElseThrow(() -> new IllegalArgumentException("descriptor without mediaType"));
    Digest digest =
        Digest.parse(
            Json.string(o, "digest")
                .orElseThrow(() -> new IllegalArgumentException("descriptor without digest")));
    long size =
        Json.number(o, "size")
            .orElseThrow(() -> new IllegalArgumentException("descriptor without size"));
    return new Descriptor(
        mediaType, digest, size, Json.strings(o, "annotations"), Platform.fromJson(o));
  }

  Map<String, Object> toJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("mediaType", mediaType);
    o.put("digest", digest.toString());
    o.put("size", size);
    if (!annotations.isEmpty()) {
      o.put("annotations", new java.util.TreeMap<>(annotations));
    }
    platform.ifPresent(
        p -> {
          Map<String, Object> pj = new LinkedHashMap<>();
          pj.put("architecture", p.architecture());
          pj.put("os", p.os());
          if (!p.variant().isEmpty()) {
            pj.put("variant", p.variant());
          }
          o.put("platform", pj);
        });
    return o;
  }
}
