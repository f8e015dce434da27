package io.stowage.serving.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Kubernetes' strategic merge patch on JSON trees, for the types KServe merges (Container,
 * PodSpec): objects merge key by key, a JSON null removes a key, lists with a merge key ({@code
 * env} by {@code name}, {@code ports} by {@code containerPort}, {@code volumes} by {@code name},
 * ...) merge item by item in the base's order with new items appended, and other lists are
 * replaced.
 */
public final class StrategicMerge {
  /** Merge keys of the lists in core/v1 Container and PodSpec, by field name. */
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("env", "name"),
          Map.entry("ports", "containerPort"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("resizePolicy", "resourceName"),
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("volumes", "name"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("hostAliases", "ip"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("resourceClaims", "name"),
          Map.entry("schedulingGates", "name"));

  private final boolean concatenateArgs;

  private StrategicMerge(boolean concatenateArgs) {
    this.concatenateArgs = concatenateArgs;
  }

  /** Kubernetes' own semantics: {@code args}, like other plain lists, are replaced. */
  public static StrategicMerge standard() {
    return new StrategicMerge(false);
  }

  /**
   * KServe's runtime merge: as {@link #standard()}, except that {@code args} are concatenated (the
   * base's first), which is how InferenceService args reach a runtime's command.
   */
  public static StrategicMerge concatenatingArgs() {
    return new StrategicMerge(true);
  }

  /** {@code patch} applied to {@code base}; neither is modified. */
  public ObjectNode merge(ObjectNode base, ObjectNode patch) {
    ObjectNode result = base.deepCopy();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      JsonNode current = result.get(name);
      if (value.isNull()) {
        result.remove(name);
      } else if (current == null || current.isNull()) {
        result.set(name, value.deepCopy());
      } else if (current.isObject() && value.isObject()) {
        result.set(name, merge((ObjectNode) current, (ObjectNode) value));
      } else if (current.isArray() && value.isArray()) {
        result.set(name, mergeList(name, (ArrayNode) current, (ArrayNode) value));
      } else {
        result.set(name, value.deepCopy());
      }
    }
    return result;
  }

  private ArrayNode mergeList(String field, ArrayNode base, ArrayNode patch) {
    if (field.equals("args") && concatenateArgs) {
      ArrayNode joined = base.deepCopy();
      joined.addAll(patch.deepCopy());
      return joined;
    }
    String key = MERGE_KEYS.get(field);
    if (key == null) {
      return patch.deepCopy();
    }
    ArrayNode result = base.deepCopy();
    for (JsonNode item : patch) {
      int at = indexOf(result, key, item.get(key));
      if (at < 0) {
        result.add(item.deepCopy());
      } else if (field.equals("env") || !item.isObject()) {
        // An env entry is {name, value} or {name, valueFrom}: merging both forms would give an
        // invalid entry, so the overlay's form wins whole, as KServe documents.
        result.set(at, item.deepCopy());
      } else {
        result.set(at, merge((ObjectNode) result.get(at), (ObjectNode) item));
      }
    }
    return result;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    if (value == null) {
      return -1;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode candidate = list.get(i).get(key);
      if (candidate != null && candidate.asText().equals(value.asText())) {
        return i;
      }
    }
    return -1;
  }

  static ObjectNode emptyObject() {
    return JsonNodeFactory.instance.objectNode();
  }
}
