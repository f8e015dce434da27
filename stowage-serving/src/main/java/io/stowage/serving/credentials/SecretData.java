package io.stowage.serving.credentials;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Secret's keys and, where planning needs them (a storage-config entry's type and bucket,
 * an https host, an endpoint's scheme), its values. Values read here decide the wiring; they are
 * never written into a planned object except where a name must be (a ConfigMap, an env name).
 */
public final class SecretData {
  private SecretData() {}

  /** The keys of {@code data} and {@code stringData}, in manifest order. */
  public static Set<String> keys(Secret secret) {
    Set<String> keys = new LinkedHashSet<>(data(secret).keySet());
    keys.addAll(stringData(secret).keySet());
    return keys;
  }

  public static boolean has(Secret secret, String key) {
    return data(secret).containsKey(key) || stringData(secret).containsKey(key);
  }

  /** The decoded value of {@code key}, or empty when absent or not valid base64. */
  public static Optional<String> value(Secret secret, String key) {
    String plain = stringData(secret).get(key);
    if (plain != null) {
      return Optional.of(plain);
    }
    String encoded = data(secret).get(key);
    if (encoded == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static String name(Secret secret) {
    return secret.getMetadata() == null
        ? ""
        : Objects.requireNonNullElse(secret.getMetadata().getName(), "");
  }

  public static Map<String, String> annotations(Secret secret) {
    return secret.getMetadata() == null
        ? Map.of()
        : Objects.requireNonNullElse(secret.getMetadata().getAnnotations(), Map.of());
  }

  private static Map<String, String> data(Secret secret) {
    return Objects.requireNonNullElse(secret.getData(), Map.of());
  }

  private static Map<String, String> stringData(Secret secret) {
    return Objects.requireNonNullElse(secret.getStringData(), Map.of());
  }
}
