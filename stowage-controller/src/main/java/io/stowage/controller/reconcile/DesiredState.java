package io.stowage.controller.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stowage.serving.api.ServingJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Whether a live object already is what the plan wants. The API server adds defaults and status, so
 * "is" means "contains": every field the plan sets has the planned value, lists have the planned
 * length and their items contain the planned items.
 */
final class DesiredState {
  private DesiredState() {}

  static boolean isContainedIn(HasMetadata desired, HasMetadata live) {
    JsonNode want = ServingJson.tree(desired);
    JsonNode have = ServingJson.tree(live);
    return contains(have, want);
  }

  /** A digest of the planned object: a changed plan gives a new one. */
  static String digest(HasMetadata desired) {
    try {
      byte[] json = ServingJson.mapper().writeValueAsBytes(desired);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot digest " + desired.getKind(), e);
    }
  }

  static boolean contains(JsonNode have, JsonNode want) {
    if (want.isObject()) {
      if (!have.isObject()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : want.properties()) {
        JsonNode other = have.get(e.getKey());
        if (e.getValue().isNull()) {
          continue;
        }
        if (other == null || !contains(other, e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!contains(have.get(i), want.get(i))) {
          return false;
        }
      }
      return true;
    }
    // Numbers and strings compare by text: a quantity or port may come back as "2" or 2.
    return want.asText().equals(have.asText());
  }
}
