package io.stowage.controller.watch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.stowage.controller.ControllerSettings;
import io.stowage.controller.crd.ClusterServingRuntimeResource;
import io.stowage.controller.crd.ClusterStorageContainerResource;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.controller.crd.ServingRuntimeResource;
import io.stowage.serving.config.InferenceServiceConfig;
import io.stowage.serving.workload.Names;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The informers the controller reads from, and which InferenceServices each change re-plans:
 *
 * <ul>
 *   <li>its Deployment, Service and HPA (owner reference): a hand edit is reverted, a deletion
 *       recreated, the Deployment's conditions become {@code PredictorReady};
 *   <li>its Pods (label {@code serving.kserve.io/inferenceservice}): the storage initializer's
 *       termination message and exit code become {@code modelStatus};
 *   <li>ServiceAccounts and Secrets in its namespace that its plan reads: credential rotation (the
 *       Secret informer keeps no Secret's data; see {@link SecretsWithoutData});
 *   <li>ServingRuntimes in its namespace and ClusterServingRuntimes it names or may auto-select;
 *   <li>ClusterStorageContainers, the {@code inferenceservice-config} ConfigMap and the global CA
 *       bundle it names: every InferenceService, since each may change any plan.
 * </ul>
 *
 * Namespaced informers watch the controller's namespaces only; the ConfigMap informer watches the
 * config namespace only.
 */
public final class Watches {
  private final InformerEventSource<Deployment, InferenceServiceResource> deployments;
  private final InformerEventSource<Service, InferenceServiceResource> services;
  private final InformerEventSource<HorizontalPodAutoscaler, InferenceServiceResource> autoscalers;
  private final InformerEventSource<Pod, InferenceServiceResource> pods;
  private final InformerEventSource<ServiceAccount, InferenceServiceResource> serviceAccounts;
  private final InformerEventSource<Secret, InferenceServiceResource> secrets;
  private final ReferencedSecrets referencedSecrets;
  private final InformerEventSource<ServingRuntimeResource, InferenceServiceResource> runtimes;
  private final InformerEventSource<ClusterServingRuntimeResource, InferenceServiceResource>
      clusterRuntimes;
  private final InformerEventSource<ClusterStorageContainerResource, InferenceServiceResource>
      storageContainers;
  private final InformerEventSource<ConfigMap, InferenceServiceResource> configMaps;
  private final ConfigView config;

  public Watches(EventSourceContext<InferenceServiceResource> ctx, ControllerSettings settings) {
    IndexerResourceCache<InferenceServiceResource> primaries = ctx.getPrimaryCache();
    deployments = owned(ctx, Deployment.class, "deployments");
    services = owned(ctx, Service.class, "services");
    autoscalers = owned(ctx, HorizontalPodAutoscaler.class, "autoscalers");
    pods =
        namespaced(ctx, Pod.class, "pods", pod -> byLabel(pod, Names.ISVC_LABEL), Names.ISVC_LABEL);
    serviceAccounts =
        namespaced(
            ctx,
            ServiceAccount.class,
            "serviceaccounts",
            sa ->
                ids(
                    primaries.list(namespace(sa)),
                    isvc -> Dependencies.serviceAccount(isvc).equals(name(sa))),
            null);
    configMaps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, InferenceServiceResource.class)
                .withName("configmaps")
                .withNamespaces(Set.of(settings.configNamespace()))
                .withSecondaryToPrimaryMapper(
                    cm ->
                        InferenceServiceConfig.NAME.equals(name(cm))
                                || name(cm).equals(caBundleName())
                            ? ids(primaries.list(), isvc -> true)
                            : Set.of())
                .build(),
            ctx);
    config = new ConfigView(configMaps, settings.configNamespace());
    // Every Secret is seen, so that a change of one a plan reads re-plans; none is kept with its
    // data: plans read theirs by name (referencedSecrets).
    secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, InferenceServiceResource.class)
                .withName("secrets")
                .withNamespacesInheritedFromController()
                .withItemStore(new SecretsWithoutData())
                .withSecondaryToPrimaryMapper(
                    secret ->
                        ids(
                            primaries.list(namespace(secret)),
                            isvc -> mayUseSecret(isvc, name(secret), namespace(secret))))
                .build(),
            ctx);
    referencedSecrets = new ReferencedSecrets(ctx.getClient());
    runtimes =
        namespaced(
            ctx,
            ServingRuntimeResource.class,
            "servingruntimes",
            r ->
                ids(
                    primaries.list(namespace(r)),
                    isvc -> Dependencies.mayUseRuntime(isvc, name(r))),
            null);
    clusterRuntimes =
        clusterScoped(
            ctx,
            ClusterServingRuntimeResource.class,
            "clusterservingruntimes",
            r -> ids(primaries.list(), isvc -> Dependencies.mayUseRuntime(isvc, name(r))));
    storageContainers =
        clusterScoped(
            ctx,
            ClusterStorageContainerResource.class,
            "clusterstoragecontainers",
            c -> ids(primaries.list(), isvc -> true));
  }

  /**
   * The global CA bundle's ConfigMap in the config namespace, copied into model namespaces: a
   * change re-plans every InferenceService, which refreshes the copies.
   */
  private String caBundleName() {
    String name = config.configOrDefaults().storageInitializer().caBundleConfigMapName();
    return name.isEmpty() ? InferenceServiceConfig.NAME : name;
  }

  /**
   * True when planning {@code isvc} reads the Secret {@code name} of {@code namespace}, by the
   * cached ServiceAccount and config.
   */
  public boolean mayUseSecret(InferenceServiceResource isvc, String name, String namespace) {
    return Dependencies.mayUseSecret(
        isvc,
        name,
        serviceAccounts.get(new ResourceID(Dependencies.serviceAccount(isvc), namespace)),
        config.configOrDefaults().credentials());
  }

  public List<EventSource<?, InferenceServiceResource>> all() {
    return List.of(
        deployments,
        services,
        autoscalers,
        pods,
        serviceAccounts,
        secrets,
        runtimes,
        clusterRuntimes,
        storageContainers,
        configMaps);
  }

  public InformerEventSource<Deployment, InferenceServiceResource> deployments() {
    return deployments;
  }

  public InformerEventSource<Service, InferenceServiceResource> services() {
    return services;
  }

  public InformerEventSource<HorizontalPodAutoscaler, InferenceServiceResource> autoscalers() {
    return autoscalers;
  }

  public InformerEventSource<Pod, InferenceServiceResource> pods() {
    return pods;
  }

  public InformerEventSource<ServiceAccount, InferenceServiceResource> serviceAccounts() {
    return serviceAccounts;
  }

  /** Every Secret of the watched namespaces, without its data. */
  public InformerEventSource<Secret, InferenceServiceResource> secrets() {
    return secrets;
  }

  /** The Secrets plans read, with their data. */
  public ReferencedSecrets referencedSecrets() {
    return referencedSecrets;
  }

  public InformerEventSource<ServingRuntimeResource, InferenceServiceResource> runtimes() {
    return runtimes;
  }

  public InformerEventSource<ClusterServingRuntimeResource, InferenceServiceResource>
      clusterRuntimes() {
    return clusterRuntimes;
  }

  public InformerEventSource<ClusterStorageContainerResource, InferenceServiceResource>
      storageContainers() {
    return storageContainers;
  }

  /** The ConfigMaps of the config namespace: the config and the global CA bundle. */
  public InformerEventSource<ConfigMap, InferenceServiceResource> configMaps() {
    return configMaps;
  }

  public ConfigView config() {
    return config;
  }

  private static <R extends HasMetadata> InformerEventSource<R, InferenceServiceResource> owned(
      EventSourceContext<InferenceServiceResource> ctx, Class<R> type, String name) {
    return namespaced(
        ctx,
        type,
        name,
        Mappers.fromOwnerReferences(InferenceServiceResource.class),
        Names.ISVC_LABEL);
  }

  private static <R extends HasMetadata>
      InformerEventSource<R, InferenceServiceResource> namespaced(
          EventSourceContext<InferenceServiceResource> ctx,
          Class<R> type,
          String name,
          SecondaryToPrimaryMapper<R> mapper,
          @org.jspecify.annotations.Nullable String labelKey) {
    InformerEventSourceConfiguration.Builder<R> b =
        InformerEventSourceConfiguration.from(type, InferenceServiceResource.class)
            .withName(name)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(mapper);
    if (labelKey != null) {
      b.withLabelSelector(labelKey);
    }
    return new InformerEventSource<>(b.build(), ctx);
  }

  private static <R extends HasMetadata>
      InformerEventSource<R, InferenceServiceResource> clusterScoped(
          EventSourceContext<InferenceServiceResource> ctx,
          Class<R> type,
          String name,
          SecondaryToPrimaryMapper<R> mapper) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, InferenceServiceResource.class)
            .withName(name)
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(mapper)
            .build(),
        ctx);
  }

  private static Set<ResourceID> byLabel(HasMetadata object, String label) {
    Map<String, String> labels =
        Objects.requireNonNullElse(object.getMetadata().getLabels(), Map.of());
    String owner = labels.get(label);
    return owner == null ? Set.of() : Set.of(new ResourceID(owner, namespace(object)));
  }

  private static Set<ResourceID> ids(
      Stream<InferenceServiceResource> isvcs,
      java.util.function.Predicate<InferenceServiceResource> concerned) {
    return isvcs.filter(concerned).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private static String name(HasMetadata object) {
    return Objects.requireNonNullElse(object.getMetadata().getName(), "");
  }

  private static String namespace(HasMetadata object) {
    return Objects.requireNonNullElse(object.getMetadata().getNamespace(), "");
  }
}
