package io.stowage.oci;

import io.stowage.storage.StorageException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an image lives: {@code registry/repository} plus a tag, a digest, or both (the digest wins
 * when both are given, as Docker does).
 *
 * <p>Written as {@code oci://registry[:port]/repository[:tag][@sha256:hex]}; the scheme is optional
 * where only images make sense ({@code --base}). A first segment without a dot, a colon or {@code
 * localhost} is a Docker Hub name, as Docker reads it ({@code busybox} is {@code
 * docker.io/library/busybox}).
 */
public record ImageReference(
    String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
  public static final String SCHEME = "oci://";
  public static final String DOCKER_HUB = "docker.io";

  /** The Distribution spec's grammar for repository names. */
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGISTRY =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

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
    Optional<Digest> digest = Optional.empty();
    int at = s.indexOf('@');
    if (at >= 0) {
      try {
        digest = Optional.of(Digest.parse(s.substring(at + 1)));
      } catch (IllegalArgumentException e) {
        throw invalid(text, e.getMessage());
      }
      s = s.substring(0, at);
    }
    int slash = s.indexOf('/');
    String registry;
    String rest;
    String first = slash < 0 ? "" : s.substring(0, slash);
    if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      registry = first;
      rest = s.substring(slash + 1);
    } else {
      registry = DOCKER_HUB;
      rest = s;
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag.get()).matches()) {
        throw invalid(text, "'" + tag.get() + "' is not a valid tag");
      }
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (!REGISTRY.matcher(registry).matches()) {
      throw invalid(text, "'" + registry + "' is not a registry host[:port]");
    }
    if (rest.isEmpty()) {
      throw invalid(text, "no repository after the registry");
    }
    if (!REPOSITORY.matcher(rest).matches() || rest.length() > 255) {
      throw invalid(
          text,
          "'"
              + rest
              + "' is not a valid repository name (lower-case letters, digits and separators)");
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    return new ImageReference(registry.toLowerCase(Locale.ROOT), rest, tag, digest);
  }

  private static StorageException invalid(
      String text, @org.jspecify.annotations.Nullable String why) {
    return StorageException.usage("Invalid image reference '" + text.strip() + "': " + why);
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
