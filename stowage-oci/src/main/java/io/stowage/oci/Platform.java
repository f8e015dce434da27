package io.stowage.oci;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An image's platform, as an index names it: {@code os/architecture[/variant]}. */
public record Platform(String os, String architecture, String variant) {
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");

  /**
   * Parses {@code linux/amd64} or {@code linux/arm64/v8}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Platform parse(String s) {
    String[] parts = s.strip().toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "platform '" + s + "' is not os/architecture[/variant], e.g. linux/amd64");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  static Optional<Platform> fromJson(Map<String, Object> descriptor) {
    return Json.object(descriptor, "platform")
        .map(
            p ->
                new Platform(
                    Json.string(p, "os").orElse(""),
                    Json.string(p, "architecture").orElse(""),
                    Json.string(p, "variant").orElse("")));
  }

  /** True when an index entry for {@code other} serves this platform (an empty variant matches). */
  public boolean accepts(Platform other) {
    return os.equals(other.os)
        && architecture.equals(other.architecture)
        && (variant.isEmpty() || variant.equals(other.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
