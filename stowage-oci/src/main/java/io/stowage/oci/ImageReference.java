package io.stowage.oci;

import io.stowage.common.ImageName;
import io.stowage.common.UriRedaction;
import io.stowage.storage.StorageException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an image lives: {@code registry/repository} plus a tag, a digest, or both (the digest wins
 * when both are given, as Docker does).
 *
 * <p>Written as {@code oci://registry[:port]/repository[:tag][@sha256:hex]}; the scheme is optional
 * where only images make sense ({@code --base}). A first segment without a dot, a colon or {@code
 * localhost} is a Docker Hub name, as Docker reads it ({@code busybox} is {@code
 * docker.io/library/busybox}). The grammar is {@link ImageName}'s, which the initializer's URI
 * parser and the planner share; this type adds what a pull needs (a SHA-256 digest, {@code latest}
 * when neither tag nor digest is given).
 */
public record ImageReference(
    String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
  public static final String SCHEME = "oci://";
  public static final String DOCKER_HUB = ImageName.DOCKER_HUB;

  public ImageReference {
    if (tag.isEmpty() && digest.isEmpty()) {
      throw new IllegalArgumentException("a reference needs a tag or a digest");
    }
  }

  /**
   * Parses a reference, with or without {@code oci://} (or {@code oci+fetch://}); a missing tag and
   * digest mean {@code latest}.
   *
   * @throws StorageException of class {@code USAGE} with what is wrong
   */
  public static ImageReference parse(String text) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    for (String scheme : new String[] {SCHEME, "oci+fetch://"}) {
      if (lower.startsWith(scheme)) {
        s = s.substring(scheme.length());
        break;
      }
    }
    if (s.contains("://")) {
      throw invalid(text, "only oci:// references are images");
    }
    ImageName name;
    Optional<Digest> digest;
    try {
      name = ImageName.parse(s);
      // Well formed is not enough here: a digest is what a pull verifies, and only SHA-256 can be.
      digest = name.digest().map(Digest::parse);
    } catch (IllegalArgumentException e) {
      throw invalid(text, e.getMessage());
    }
    Optional<String> tag =
        name.tag().isEmpty() && digest.isEmpty() ? Optional.of("latest") : name.tag();
    return new ImageReference(name.registry(), name.repository(), tag, digest);
  }

  private static StorageException invalid(
      String text, @org.jspecify.annotations.Nullable String why) {
    return StorageException.usage(
        "Invalid image reference '" + UriRedaction.redact(text.strip()) + "': " + why);
  }

  /** The host the registry API is served from (Docker Hub's API has a host of its own). */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** What manifest URLs name: the digest when there is one, the tag otherwise. */
  public String manifestReference() {
    return digest.map(Digest::toString).orElseGet(() -> tag.orElseThrow());
  }

  public ImageReference withDigest(Digest d) {
    return new ImageReference(registry, repository, tag, Optional.of(d));
  }

  /** The same repository with another tag (for base images and mounts). */
  public ImageReference withTag(String t) {
    return new ImageReference(registry, repository, Optional.of(t), Optional.empty());
  }

  /** {@code registry/repository@sha256:...}: what users should pin. */
  public String pinned(Digest d) {
    return SCHEME + registry + "/" + repository + "@" + d;
  }

  @Override
  public String toString() {
    return SCHEME
        + registry
        + "/"
        + repository
        + tag.map(t -> ":" + t).orElse("")
        + digest.map(d -> "@" + d).orElse("");
  }
}
