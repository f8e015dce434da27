package io.stowage.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the differential tests compare of a Pod spec, flattened to one value per path: the init
 * containers, containers, volumes, {@code shareProcessNamespace}, the pod's security context and
 * ServiceAccount. Lists whose entries have a {@code name} (containers, env, volumes, volumeMounts,
 * ports) are keyed by it ({@code
 * /initContainers/storage-initializer/env/AWS_ACCESS_KEY_ID/valueFrom/ secretKeyRef/name}), and
 * their order is a value of its own ({@code .../env#order}), so one difference reads as one path.
 *
 * <p>Left out: what the API server, not KServe or Stowage, adds to a Pod (the ServiceAccount
 * token's {@code kube-api-access-*} volume and its mounts, tolerations, priority, scheduler and
 * enableServiceLinks defaults). Both sides have been through the API server's defaulting (KServe's
 * as a Pod, Stowage's Deployment by a server-side dry run), so field defaults agree.
 */
final class PodView {
  static final List<String> COMPARED =
      List.of(
          "initContainers",
          "containers",
          "volumes",
          "shareProcessNamespace",
          "securityContext",
          "serviceAccountName");

  private PodView() {}

  /** Path to value (as JSON text) of what is compared of {@code podSpec}. */
  static Map<String, String> of(JsonNode podSpec) {
    ObjectNode spec = asAdmittedPod(podSpec);
    Map<String, String> out = new TreeMap<>();
    for (String field : COMPARED) {
      JsonNode value = spec.get(field);
      if (value != null && !value.isNull()) {
        flatten("/" + field, value, out);
      }
    }
    return out;
  }

  /**
   * What the API server does to a Pod, but not to a Deployment's pod template, done to both: the
   * ServiceAccount admission plugin names {@code default} when none is set and mounts the token
   * (removed here from both), and Pod defaulting copies each container's limits to requests that
   * are not set.
   */
  private static ObjectNode asAdmittedPod(JsonNode podSpec) {
    ObjectNode spec = (ObjectNode) podSpec.deepCopy();
    removeToken(spec);
    if (!spec.path("serviceAccountName").isTextual()) {
      spec.put("serviceAccountName", "default");
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : spec.path(list)) {
        JsonNode limits = container.path("resources").path("limits");
        if (limits instanceof ObjectNode limitMap) {
          ObjectNode resources = (ObjectNode) container.get("resources");
          ObjectNode requests =
              resources.get("requests") instanceof ObjectNode r
                  ? r
                  : resources.putObject("requests");
          limitMap
              .properties()
              .forEach(
                  e -> {
                    if (!requests.has(e.getKey())) {
                      requests.set(e.getKey(), e.getValue());
                    }
                  });
        }
      }
    }
    return spec;
  }

  /** The paths whose values differ, or that one side has and the other lacks. */
  static Set<String> differences(Map<String, String> a, Map<String, String> b) {
    Set<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    paths.removeIf(p -> java.util.Objects.equals(a.get(p), b.get(p)));
    return paths;
  }

  private static void removeToken(JsonNode node) {
    if (node instanceof ArrayNode array) {
      for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
        JsonNode entry = it.next();
        if (entry.path("name").asText().startsWith("kube-api-access-")) {
          it.remove();
        } else {
          removeToken(entry);
        }
      }
    } else if (node instanceof ObjectNode object) {
      object.forEach(PodView::removeToken);
      // A list that held only the token's mount was not there before the API server added it.
      object
          .properties()
          .removeIf(
              e ->
                  e.getValue() instanceof ArrayNode a
                      && a.isEmpty()
                      && e.getKey().equals("volumeMounts"));
    }
  }

  /** {@code node} flattened under {@code path} into {@code out}; nothing for a missing node. */
  static void flattenInto(String path, JsonNode node, Map<String, String> out) {
    if (!node.isMissingNode() && !node.isNull()) {
      flatten(path, node, out);
    }
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node instanceof ObjectNode object) {
      object.properties().forEach(e -> flatten(path + "/" + e.getKey(), e.getValue(), out));
    } else if (node instanceof ArrayNode array && named(array)) {
      StringBuilder order = new StringBuilder();
      for (JsonNode entry : array) {
        // A volume may be mounted more than once (a PVC's subPaths): its mounts are told apart.
        String name =
            path.endsWith("/volumeMounts")
                ? entry.get("name").asText() + "@" + entry.path("mountPath").asText()
                : entry.get("name").asText();
        order.append(order.length() == 0 ? "" : ",").append(name);
        flatten(path + "/" + name, entry, out);
      }
      out.put(path + "#order", order.toString());
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        flatten(path + "/" + i, array.get(i), out);
      }
      if (array.isEmpty()) {
        out.put(path, "[]");
      }
    } else {
      out.put(path, node.toString());
    }
  }

  private static boolean named(ArrayNode array) {
    if (array.isEmpty()) {
      return false;
    }
    for (JsonNode entry : array) {
      if (!entry.path("name").isTextual()) {
        return false;
      }
    }
    return true;
  }
}
