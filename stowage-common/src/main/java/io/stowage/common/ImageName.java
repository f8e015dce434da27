package io.stowage.common;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one grammar of image references ({@code [registry[:port]/]repository[:tag][@digest]}, what
 * follows {@code oci://}), shared by the initializer's URI parser, the model tools and the planner
 * so that they accept and refuse the same references. A first segment with a dot or a colon, or
 * {@code localhost}, is a registry; otherwise the name is on Docker Hub, as Docker and the kubelet
 * read it ({@code busybox:latest} is {@code docker.io/library/busybox:latest}). Repository and tag
 * follow the OCI distribution spec; a digest is {@code algorithm:encoded} as the image spec defines
 * it, with {@code sha256} and {@code sha512} held to lower-case hex of their length, as the kubelet
 * holds them. Which digests can be verified (only SHA-256, in {@code stowage-oci}) is a separate
 * question from which are well formed.
 *
 * @param registry the registry host and port, lower case ({@code docker.io} for Docker Hub names)
 * @param repository the repository ({@code library/} added for official Docker Hub images)
 * @param tag the tag as written, if any
 * @param digest the digest as written, if any
 */
public record ImageName(
    String registry, String repository, Optional<String> tag, Optional<String> digest) {
  public static final String DOCKER_HUB = "docker.io";
  public static final int MAX_REPOSITORY = 255;

  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGISTRY =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
  private static final Pattern DIGEST_ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
  private static final Pattern DIGEST_ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  /**
   * Parses a reference without its scheme.
   *
   * @throws IllegalArgumentException with what is wrong, in words that can follow "Invalid image
   *     reference '...': "
   */
  public static ImageName parse(String reference) {
    String s = reference;
    if (s.isEmpty()) {
      throw new IllegalArgumentException("no image named");
    }
    // Refused before any part is quoted: what follows a ? or # may be a token.
    if (s.chars().anyMatch(c -> c == '?' || c == '#' || c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException(
          "a query, a fragment or white space is not part of an image reference");
    }
    Optional<String> digest = Optional.empty();
    int at = s.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(digest(s.substring(at + 1)));
      s = s.substring(0, at);
    }
    int slash = s.indexOf('/');
    String first = slash < 0 ? "" : s.substring(0, slash);
    String registry;
    String rest;
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
        throw new IllegalArgumentException("'" + tag.get() + "' is not a valid tag");
      }
    }
    if (!REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("'" + registry + "' is not a registry host[:port]");
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("no repository after the registry");
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (!REPOSITORY.matcher(rest).matches() || rest.length() > MAX_REPOSITORY) {
      throw new IllegalArgumentException(
          "'"
              + rest
              + "' is not a valid repository name (lower-case letters, digits and separators)");
    }
    return new ImageName(registry.toLowerCase(Locale.ROOT), rest, tag, digest);
  }

  private static String digest(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not a digest (algorithm:hex)");
    }
    String algorithm = text.substring(0, colon);
    String encoded = text.substring(colon + 1);
    boolean wellFormed =
        DIGEST_ALGORITHM.matcher(algorithm).matches()
            && switch (algorithm) {
              case "sha256" -> SHA256.matcher(encoded).matches();
              case "sha512" -> SHA512.matcher(encoded).matches();
              default -> DIGEST_ENCODED.matcher(encoded).matches();
            };
    if (!wellFormed) {
      throw new IllegalArgumentException("'" + text + "' is not a digest (algorithm:hex)");
    }
    return text;
  }

  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + tag.map(t -> ":" + t).orElse("")
        + digest.map(d -> "@" + d).orElse("");
  }
}
