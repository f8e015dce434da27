package io.stowage.serving.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.config.InferenceServiceConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the YAML (or JSON) an operator would {@code kubectl apply}: multi-document streams and
 * {@code kind: List}, keeping the kinds the planner reads and naming the others as skipped.
 * Namespaced objects without a namespace get the default one, as {@code kubectl} gives them the
 * context's.
 */
public final class ManifestReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String KSERVE_GROUP = "serving.kserve.io/";

  private final String defaultNamespace;

  public ManifestReader(String defaultNamespace) {
    this.defaultNamespace = defaultNamespace;
  }

  /** Reads {@code text}; {@code source} names it in messages (a file name). */
  public Manifests read(String source, String text) throws ManifestException {
    Collector c = new Collector();
    int index = 0;
    try (JsonParser parser = YAML.createParser(text);
        MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      while (docs.hasNextValue()) {
        index++;
        JsonNode doc = docs.nextValue();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        add(source, index, doc, c);
      }
    } catch (IOException | RuntimeException e) {
      throw new ManifestException(
          source + ": document " + Math.max(index, 1) + ": not valid YAML: " + firstLine(e));
    }
    return c.result();
  }

  private void add(String source, int index, JsonNode doc, Collector c) throws ManifestException {
    if (!doc.isObject()) {
      throw new ManifestException(source + ": document " + index + ": not a Kubernetes object");
    }
    String kind = doc.path("kind").asText("");
    String apiVersion = doc.path("apiVersion").asText("");
    if (kind.equals("List") && doc.path("items").isArray()) {
      for (JsonNode item : doc.path("items")) {
        add(source, index, item, c);
      }
      return;
    }
    String where = source + ": document " + index + " (" + kind + " " + name(doc) + ")";
    try {
      if (apiVersion.startsWith(KSERVE_GROUP)) {
        kserve(kind, (ObjectNode) doc, c, where);
      } else if (apiVersion.equals("v1")) {
        core(kind, (ObjectNode) doc, c, where);
      } else {
        c.skipped.add(where);
      }
    } catch (IllegalArgumentException e) {
      throw new ManifestException(where + ": " + firstLine(e));
    }
  }

  private void kserve(String kind, ObjectNode doc, Collector c, String where) {
    switch (kind) {
      case InferenceService.KIND ->
          c.isvcs.add(ServingJson.fromTree(namespaced(doc), InferenceService.class));
      case ServingRuntime.KIND ->
          c.runtimes.add(ServingJson.fromTree(namespaced(doc), ServingRuntime.class));
      case ServingRuntime.CLUSTER_KIND ->
          c.runtimes.add(ServingJson.fromTree(doc, ServingRuntime.class));
      case ClusterStorageContainer.KIND ->
          c.storageContainers.add(ServingJson.fromTree(doc, ClusterStorageContainer.class));
      default -> c.skipped.add(where);
    }
  }

  private void core(String kind, ObjectNode doc, Collector c, String where) {
    switch (kind) {
      case "Secret" -> c.secrets.add(ServingJson.fromTree(namespaced(doc), Secret.class));
      case "ServiceAccount" ->
          c.serviceAccounts.add(ServingJson.fromTree(namespaced(doc), ServiceAccount.class));
      case "ConfigMap" -> {
        if (InferenceServiceConfig.NAME.equals(name(doc))) {
          c.config = Optional.of(ServingJson.fromTree(doc, ConfigMap.class));
        } else {
          c.skipped.add(where);
        }
      }
      default -> c.skipped.add(where);
    }
  }

  private ObjectNode namespaced(ObjectNode doc) {
    ObjectNode copy = doc.deepCopy();
    JsonNode meta = copy.get("metadata");
    ObjectNode metadata = meta instanceof ObjectNode o ? o : copy.putObject("metadata");
    if (metadata.path("namespace").asText("").isEmpty()) {
      metadata.put("namespace", defaultNamespace);
    }
    return copy;
  }

  private static String name(JsonNode doc) {
    return doc.path("metadata").path("name").asText("");
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static final class Collector {
    final List<InferenceService> isvcs = new ArrayList<>();
    final List<Secret> secrets = new ArrayList<>();
    final List<ServiceAccount> serviceAccounts = new ArrayList<>();
    final List<ServingRuntime> runtimes = new ArrayList<>();
    final List<ClusterStorageContainer> storageContainers = new ArrayList<>();
    Optional<ConfigMap> config = Optional.empty();
    final List<String> skipped = new ArrayList<>();

    Manifests result() {
      return new Manifests(
          isvcs, secrets, serviceAccounts, runtimes, storageContainers, config, skipped);
    }
  }
}
