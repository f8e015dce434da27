package io.stowage.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.stowage.common.UriRedaction;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ModelSpec;
import io.stowage.serving.api.PredictorSpec;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.credentials.InitializerCredentials;
import io.stowage.serving.credentials.StorageSpecCredentials;
import io.stowage.serving.pod.PodComposer;
import io.stowage.serving.pod.Templates;
import io.stowage.serving.runtime.ResolvedRuntime;
import io.stowage.serving.runtime.RuntimeResolver;
import io.stowage.serving.storage.ModelUri;
import io.stowage.serving.storage.MultiUriWiring;
import io.stowage.serving.storage.StorageAnnotations;
import io.stowage.serving.storage.StorageContainers;
import io.stowage.serving.storage.StoragePolicy;
import io.stowage.serving.storage.StorageWiring;
import io.stowage.serving.storage.WiringContext;
import io.stowage.serving.validation.Autoscaling;
import io.stowage.serving.validation.InferenceServiceValidator;
import io.stowage.serving.workload.AutoscalerPlanner;
import io.stowage.serving.workload.ComponentMeta;
import io.stowage.serving.workload.DeploymentPlanner;
import io.stowage.serving.workload.PodRevision;
import io.stowage.serving.workload.ServicePlanner;
import io.stowage.serving.workload.Urls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The planner: an InferenceService and a snapshot of what it depends on, in; the Standard-mode
 * Deployment, Service and HPA KServe would run, with the storage wiring written into the pod
 * template, or the list of everything wrong, out. A pure function: the same input gives the same
 * output, and nothing outside the arguments is read or written.
 */
public final class ServingPlanner {
  private ServingPlanner() {}

  public static PlanResult plan(InferenceService isvc, ClusterSnapshot snapshot) {
    PlanErrors errors = new PlanErrors();
    InferenceServiceValidator.validate(isvc, snapshot.config(), errors);
    StoragePolicy policy =
        StorageAnnotations.parse(
            isvc.annotations(), snapshot.config().storageInitializer(), errors);
    Optional<ModelSpec> model = modelOf(isvc.predictor());
    Optional<ResolvedRuntime> runtime =
        model.flatMap(m -> RuntimeResolver.resolve(isvc.namespace(), m, snapshot, errors));
    Optional<ModelSource> source = source(isvc, model, snapshot, errors);
    if (!errors.isEmpty() || source.isEmpty() || (model.isPresent() && runtime.isEmpty())) {
      return rejected(errors);
    }
    try {
      return build(isvc, model, runtime, source.get(), snapshot, policy, errors);
    } catch (IllegalArgumentException e) {
      // fabric8 refuses values the validator did not foresee (a malformed quantity elsewhere).
      errors.add("spec.predictor", "cannot be converted to a pod: " + e.getMessage());
      return rejected(errors);
    }
  }

  private static PlanResult build(
      InferenceService isvc,
      Optional<ModelSpec> model,
      Optional<ResolvedRuntime> runtime,
      ModelSource source,
      ClusterSnapshot snapshot,
      StoragePolicy policy,
      PlanErrors errors) {
    Optional<PodSpec> composed =
        model.isPresent() && runtime.isPresent()
            ? PodComposer.withRuntime(isvc, model.get(), runtime.get(), snapshot, errors)
            : Optional.of(PodComposer.custom(isvc));
    if (composed.isEmpty()) {
      return rejected(errors);
    }
    PodSpec pod = composed.get();
    Map<String, String> internal = new LinkedHashMap<>();
    wire(isvc, pod, source, snapshot, policy, errors, internal);
    if (!errors.isEmpty()) {
      return rejected(errors);
    }
    Optional<ServingRuntime> runtimeObject = runtime.map(ResolvedRuntime::runtime);
    ComponentMeta meta = ComponentMeta.of(isvc, runtimeObject, internal, snapshot.config());
    Autoscaling autoscaling =
        Autoscaling.parse(isvc.annotations().getOrDefault(Autoscaling.ANNOTATION, "hpa"))
            .orElse(Autoscaling.HPA);
    Integer replicas =
        autoscaling == Autoscaling.NONE
            ? Objects.requireNonNullElse(isvc.predictor().minReplicas(), 1)
            : null;
    Deployment deployment = DeploymentPlanner.plan(isvc, pod, meta, replicas, snapshot.config());
    PodRevision.stamp(deployment, isvc.annotations());
    Service service = ServicePlanner.plan(isvc, pod, meta, snapshot.config());
    HorizontalPodAutoscaler hpa =
        autoscaling == Autoscaling.HPA ? AutoscalerPlanner.plan(isvc, meta) : null;
    Urls urls;
    try {
      urls =
          Urls.of(
              isvc.metadata(),
              snapshot.config().ingress(),
              snapshot.config().service().serviceClusterIPNone(),
              ServicePlanner.targetPort(service));
    } catch (Templates.TemplateException e) {
      errors.add("", "ingress.domainTemplate of inferenceservice-config: " + e.getMessage());
      return rejected(errors);
    }
    PlannedWorkload workload =
        new PlannedWorkload(
            deployment,
            service,
            hpa,
            urls.url(),
            urls.addressUrl(),
            runtime.map(ResolvedRuntime::kind).orElse(null),
            runtime.map(ResolvedRuntime::name).orElse(null));
    return new PlanResult.Planned(workload, errors.warnings());
  }

  private static void wire(
      InferenceService isvc,
      PodSpec pod,
      ModelSource source,
      ClusterSnapshot snapshot,
      StoragePolicy policy,
      PlanErrors errors,
      Map<String, String> internal) {
    String serviceAccount = Objects.requireNonNullElse(pod.getServiceAccountName(), "");
    WiringContext ctx =
        WiringContext.forServiceAccount(
            isvc.namespace(),
            serviceAccount.isEmpty() ? "default" : serviceAccount,
            isvc.annotations(),
            isvc.predictor().storageContainerName(),
            policy,
            snapshot,
            errors);
    if (source instanceof ModelSource.Single single) {
      annotateSource(internal, single.uri().text());
      // KServe's controller passes the name to its pod webhook this way, for a single URI only.
      String storageContainer = isvc.predictor().storageContainerName();
      if (storageContainer != null) {
        internal.put(STORAGE_CONTAINER_ANNOTATION, storageContainer);
      }
      StorageWiring.single(pod, single.uri(), Optional.empty(), ctx);
    } else if (source instanceof ModelSource.Multiple multiple) {
      MultiUriWiring.wire(pod, multiple.entries(), ctx);
    } else if (source instanceof ModelSource.FromStorageSpec spec) {
      storageSpec(isvc, pod, spec, snapshot, errors, internal, ctx);
    }
  }

  static final String STORAGE_CONTAINER_ANNOTATION =
      "internal.serving.kserve.io/storage-container-name";

  private static void storageSpec(
      InferenceService isvc,
      PodSpec pod,
      ModelSource.FromStorageSpec spec,
      ClusterSnapshot snapshot,
      PlanErrors errors,
      Map<String, String> internal,
      WiringContext ctx) {
    Optional<StorageSpecCredentials.Resolved> resolved =
        StorageSpecCredentials.resolve(
            isvc.namespace(), spec.storage(), isvc.annotations(), snapshot, errors);
    if (resolved.isEmpty()) {
      return;
    }
    internal.put("internal.serving.kserve.io/storage-spec", "true");
    internal.put(
        "internal.serving.kserve.io/storage-spec-param",
        ServingJson.tree(spec.storage().parametersOrEmpty()).toString());
    String key = spec.storage().key();
    if (key != null) {
      internal.put("internal.serving.kserve.io/storage-spec-key", key);
    }
    annotateSource(internal, resolved.get().uri());
    InitializerCredentials credentials = resolved.get().credentials();
    try {
      ModelUri uri = ModelUri.parse(resolved.get().uri(), true);
      StorageWiring.single(pod, uri, Optional.of(credentials), ctx);
    } catch (ModelUri.InvalidUriException e) {
      errors.add("spec.predictor.model.storage", String.valueOf(e.getMessage()));
    }
  }

  /**
   * KServe's source-URI annotation, on the Deployment, its pod template, the Service and the HPA,
   * which more people can read than the InferenceService: it carries the URI redacted. Nothing
   * reads it back (the planner wires the init container itself, and KServe's pod webhook skips a
   * pod that already has one), and a URI without credentials is unchanged, as in KServe.
   */
  private static void annotateSource(Map<String, String> internal, String uri) {
    internal.put(ComponentMeta.SOURCE_URI_ANNOTATION, UriRedaction.redact(uri));
  }

  /** {@code model}, or a legacy framework spec turned into one, as KServe's webhook does. */
  static Optional<ModelSpec> modelOf(PredictorSpec predictor) {
    if (predictor.model() != null) {
      return Optional.of(predictor.model());
    }
    Map<String, JsonNode> frameworks = predictor.frameworks();
    if (frameworks.size() != 1) {
      return Optional.empty();
    }
    Map.Entry<String, JsonNode> only = frameworks.entrySet().iterator().next();
    ObjectNode node = ((ObjectNode) only.getValue()).deepCopy();
    node.putObject("modelFormat").put("name", only.getKey());
    if (only.getKey().equals("triton") && !node.has("protocolVersion")) {
      node.put("protocolVersion", "v2");
    }
    return Optional.of(ServingJson.fromTree(node, ModelSpec.class));
  }

  private static Optional<ModelSource> source(
      InferenceService isvc,
      Optional<ModelSpec> model,
      ClusterSnapshot snapshot,
      PlanErrors errors) {
    PredictorSpec p = isvc.predictor();
    if (!p.storageUrisOrEmpty().isEmpty()) {
      return Optional.of(new ModelSource.Multiple(p.storageUrisOrEmpty()));
    }
    String field = "spec.predictor.model.storageUri";
    String uri = model.map(ModelSpec::storageUri).orElse(null);
    if (model.isPresent() && model.get().storage() != null && (uri == null || uri.isEmpty())) {
      return Optional.of(
          new ModelSource.FromStorageSpec(Objects.requireNonNull(model.get().storage())));
    }
    if (model.isEmpty()) {
      field = "spec.predictor.containers[0].env[STORAGE_URI]";
      uri = customStorageUri(p);
    }
    if (uri == null || uri.isEmpty()) {
      return Optional.of(new ModelSource.None());
    }
    boolean claimed = StorageContainers.match(uri, snapshot.storageContainers()).isPresent();
    try {
      return Optional.of(new ModelSource.Single(ModelUri.parse(uri, claimed)));
    } catch (ModelUri.InvalidUriException e) {
      if (!errors.errors().stream().anyMatch(x -> x.message().equals(e.getMessage()))) {
        errors.add(field, String.valueOf(e.getMessage()));
      }
      return Optional.empty();
    }
  }

  private static @org.jspecify.annotations.Nullable String customStorageUri(PredictorSpec p) {
    JsonNode containers = p.otherFields().get("containers");
    if (containers == null || !containers.isArray() || containers.isEmpty()) {
      return null;
    }
    Container first = ServingJson.fromTree(containers.get(0), Container.class);
    for (EnvVar e : Objects.requireNonNullElse(first.getEnv(), List.<EnvVar>of())) {
      if ("STORAGE_URI".equals(e.getName())) {
        return e.getValue();
      }
    }
    return null;
  }

  private static PlanResult rejected(PlanErrors errors) {
    return new PlanResult.Rejected(errors.errors(), errors.warnings());
  }
}
