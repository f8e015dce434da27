package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.stowage.serving.PlanErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The storage policy of one InferenceService, from its {@code storage.stowage.io/} annotations
 * (parsed by {@link StorageAnnotations}): the initializer's image, resources and env, the volume it
 * downloads into, or no initializer at all. Applied after the ClusterStorageContainer merge: the
 * InferenceService's own setting is the most specific and wins.
 */
public record StoragePolicy(
    boolean initializer,
    @Nullable String image,
    Map<String, String> requests,
    Map<String, String> limits,
    List<String> envFromModel,
    List<EnvVar> extraEnv,
    DownloadTarget target,
    Set<String> given) {
  public static final StoragePolicy DEFAULT =
      new StoragePolicy(
          true, null, Map.of(), Map.of(), List.of(), List.of(), DownloadTarget.DEFAULT, Set.of());

  public StoragePolicy {
    requests = Map.copyOf(requests);
    limits = Map.copyOf(limits);
    envFromModel = List.copyOf(envFromModel);
    extraEnv = List.copyOf(extraEnv);
    given = Set.copyOf(given);
  }

  /** Image, resources and env of this policy, onto the built storage-initializer. */
  void applyTo(Container init, PodSpec pod, PlanErrors errors) {
    if (image != null) {
      init.setImage(image);
    }
    ResourceRequirements r =
        Objects.requireNonNullElseGet(init.getResources(), ResourceRequirements::new);
    r.setRequests(overlay(r.getRequests(), requests));
    r.setLimits(overlay(r.getLimits(), limits));
    init.setResources(r);
    List<EnvVar> env = new ArrayList<>(Objects.requireNonNullElse(init.getEnv(), List.of()));
    copyFromModel(pod, errors).forEach(e -> replace(env, e));
    extraEnv.forEach(e -> replace(env, e));
    init.setEnv(env);
  }

  private List<EnvVar> copyFromModel(PodSpec pod, PlanErrors errors) {
    if (envFromModel.isEmpty()) {
      return List.of();
    }
    Optional<Container> model = PodEdits.modelContainers(pod).stream().findFirst();
    String modelName = model.map(Container::getName).orElse(PodEdits.MODEL_CONTAINER);
    List<EnvVar> modelEnv =
        model.map(c -> Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())).orElse(List.of());
    List<EnvVar> copied = new ArrayList<>();
    for (String name : envFromModel) {
      Optional<EnvVar> found = modelEnv.stream().filter(e -> name.equals(e.getName())).findFirst();
      if (found.isPresent()) {
        copied.add(found.get());
      } else {
        errors.add(
            StorageAnnotations.field(StorageAnnotations.ENV_FROM_MODEL),
            name + " is not set on the model container " + modelName);
      }
    }
    return copied;
  }

  private static Map<String, Quantity> overlay(
      @Nullable Map<String, Quantity> base, Map<String, String> values) {
    Map<String, Quantity> out = new LinkedHashMap<>(Objects.requireNonNullElse(base, Map.of()));
    values.forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }

  private static void replace(List<EnvVar> env, EnvVar e) {
    for (int i = 0; i < env.size(); i++) {
      if (e.getName().equals(env.get(i).getName())) {
        env.set(i, e);
        return;
      }
    }
    env.add(e);
  }
}
