package io.stowage.serving.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ModelSpec;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.runtime.ResolvedRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * KServe's {@code MergeServingRuntimeAndInferenceServiceSpecs} and placeholder substitution: the
 * runtime's {@code kserve-container} overlaid with {@code predictor.model}, templates rendered with
 * the InferenceService's metadata, the runtime's pod parts overlaid with the predictor's pod
 * fields, and the containers in KServe's order.
 */
public final class PodComposer {
  public static final String MODEL_CONTAINER = "kserve-container";
  public static final String ISVC_NAME_ENV = "INFERENCE_SERVICE_NAME";

  /** The runtime fields KServe's Standard-mode merge takes as the pod's base. */
  private static final List<String> RUNTIME_POD_FIELDS =
      List.of(
          "nodeSelector",
          "affinity",
          "tolerations",
          "volumes",
          "imagePullSecrets",
          "schedulerName");

  private PodComposer() {}

  /** The parts of a runtime every InferenceService on it starts from, as shared JSON trees. */
  record RuntimeParts(
      @Nullable ObjectNode modelContainer, List<ObjectNode> otherContainers, ObjectNode podBase) {
    static RuntimeParts of(ServingRuntime runtime) {
      PodSpec pod = runtime.spec().podSpec();
      ObjectNode model = null;
      List<ObjectNode> others = new ArrayList<>();
      for (Container c : Objects.requireNonNullElse(pod.getContainers(), List.<Container>of())) {
        ObjectNode tree = (ObjectNode) ServingJson.tree(c);
        if (MODEL_CONTAINER.equals(c.getName()) && model == null) {
          model = tree;
        } else {
          others.add(tree);
        }
      }
      return new RuntimeParts(model, List.copyOf(others), runtimePodBase(pod));
    }

    boolean empty() {
      return modelContainer == null && otherContainers.isEmpty();
    }
  }

  /** The pod of a model served by {@code runtime}, or empty with the reasons in {@code errors}. */
  public static Optional<PodSpec> withRuntime(
      InferenceService isvc,
      ModelSpec model,
      ResolvedRuntime runtime,
      ClusterSnapshot snapshot,
      PlanErrors errors) {
    RuntimeParts parts =
        snapshot.derivedFrom(runtime.runtime(), RuntimeParts.class, RuntimeParts::of);
    if (parts.empty()) {
      errors.add(
          "spec.predictor.model.runtime",
          "no container configuration found in selected serving runtime " + runtime.name());
      return Optional.empty();
    }
    ObjectNode base = parts.modelContainer();
    if (base == null) {
      errors.add(
          "spec.predictor.model.runtime",
          "failed to find kserve-container in ServingRuntime containers (runtime "
              + runtime.name()
              + ")");
      return Optional.empty();
    }
    ObjectNode overlay = (ObjectNode) ServingJson.tree(model.container());
    overlay.remove("name");
    ObjectNode merged = StrategicMerge.concatenatingArgs().merge(base, overlay);
    merged.put("name", MODEL_CONTAINER);
    try {
      substitute(merged, TemplateData.of(isvc.metadata()));
    } catch (Templates.TemplateException e) {
      errors.add(
          "spec.predictor.model",
          "failed to replace placeholders in serving runtime "
              + runtime.name()
              + " Container "
              + MODEL_CONTAINER
              + ": "
              + e.getMessage());
      return Optional.empty();
    }
    List<Container> containers = new ArrayList<>();
    containers.add(ServingJson.fromTree(merged, Container.class));
    parts.otherContainers().forEach(c -> containers.add(ServingJson.fromTree(c, Container.class)));
    PodSpec predictorPod = isvc.predictor().podSpec();
    containers.addAll(Objects.requireNonNullElse(predictorPod.getContainers(), List.of()));
    PodSpec pod = overlayPod(parts.podBase(), predictorPod);
    pod.setContainers(withIsvcName(containers, isvc.name()));
    return Optional.of(pod);
  }

  /**
   * A custom predictor's pod ({@code spec.predictor.containers}, no model): its first container is
   * the model container and is named so.
   */
  public static PodSpec custom(InferenceService isvc) {
    PodSpec pod = isvc.predictor().podSpec();
    List<Container> containers =
        new ArrayList<>(Objects.requireNonNullElse(pod.getContainers(), List.of()));
    if (!containers.isEmpty()) {
      Container first = containers.get(0);
      if (first.getName() == null || first.getName().isEmpty()) {
        first.setName(MODEL_CONTAINER);
      }
    }
    pod.setContainers(withIsvcName(containers, isvc.name()));
    return pod;
  }

  private static ObjectNode runtimePodBase(PodSpec runtimePod) {
    ObjectNode all = (ObjectNode) ServingJson.tree(runtimePod);
    ObjectNode base = all.objectNode();
    for (String field : RUNTIME_POD_FIELDS) {
      JsonNode value = all.get(field);
      if (value != null) {
        base.set(field, value);
      }
    }
    return base;
  }

  private static PodSpec overlayPod(ObjectNode base, PodSpec predictorPod) {
    ObjectNode overlay = (ObjectNode) ServingJson.tree(predictorPod);
    overlay.remove("containers");
    return ServingJson.fromTree(StrategicMerge.standard().merge(base, overlay), PodSpec.class);
  }

  /** KServe v0.17+ gives every container the InferenceService's name. */
  private static List<Container> withIsvcName(List<Container> containers, String isvcName) {
    for (Container c : containers) {
      List<EnvVar> env = new ArrayList<>(Objects.requireNonNullElse(c.getEnv(), List.of()));
      if (env.stream().noneMatch(e -> ISVC_NAME_ENV.equals(e.getName()))) {
        env.add(new EnvVar(ISVC_NAME_ENV, isvcName, null));
      }
      c.setEnv(env);
    }
    return containers;
  }

  /** Renders templates in every string of the tree, as KServe does on the container's JSON. */
  static void substitute(JsonNode node, Map<String, Object> data)
      throws Templates.TemplateException {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (field.getValue().isTextual()) {
          field.setValue(
              new TextNode(Templates.renderContainerField(field.getValue().asText(), data)));
        } else {
          substitute(field.getValue(), data);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item.isTextual()) {
          array.set(i, new TextNode(Templates.renderContainerField(item.asText(), data)));
        } else {
          substitute(item, data);
        }
      }
    }
  }
}
