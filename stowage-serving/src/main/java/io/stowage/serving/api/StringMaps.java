package io.stowage.serving.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Labels and annotations as the API server stores them: a missing map is empty, and a key written
 * without a value ({@code key:} in YAML, null in JSON) has the empty string, as Go decodes it into
 * a {@code map[string]string}.
 */
final class StringMaps {
  private StringMaps() {}

  static Map<String, String> orEmpty(@Nullable Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    if (!map.containsValue(null)) {
      return map;
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, v == null ? "" : v));
    return Collections.unmodifiableMap(out);
  }
}
