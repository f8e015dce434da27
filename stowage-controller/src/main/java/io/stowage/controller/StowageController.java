package io.stowage.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stowage.controller.events.EventRecorder;
import io.stowage.controller.ops.HealthServer;
import io.stowage.controller.ops.ReconcileMetrics;
import io.stowage.controller.reconcile.InferenceServiceReconciler;
import io.stowage.controller.watch.Watches;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller: the operator with its one reconciler, leader election when configured,
 * and the HTTP endpoints for probes and Prometheus. {@link #close()} stops all of it.
 */
public final class StowageController implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(StowageController.class);

  private final Operator operator;
  private final PrometheusMeterRegistry registry;
  private final @Nullable HealthServer http;
  private final InferenceServiceReconciler reconciler;
  private final EventRecorder events;

  private StowageController(
      Operator operator,
      PrometheusMeterRegistry registry,
      @Nullable HealthServer http,
      InferenceServiceReconciler reconciler,
      EventRecorder events) {
    this.operator = operator;
    this.events = events;
    this.registry = registry;
    this.http = http;
    this.reconciler = reconciler;
  }

  /**
   * Starts the controller; returns once the informers' caches are filled (and, without leader
   * election, reconciling has begun).
   *
   * @throws IOException when the HTTP port cannot be bound
   */
  public static StowageController start(ControllerSettings settings, KubernetesClient client)
      throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    AtomicBoolean broken = new AtomicBoolean();
    Operator operator = new Operator(o -> configure(o, settings, client, registry, broken));
    String instance =
        settings.leaderElection() == null
            ? "stowage-controller"
            : settings.leaderElection().identity();
    EventRecorder events = new EventRecorder(client, instance);
    InferenceServiceReconciler reconciler =
        new InferenceServiceReconciler(
            settings, events, new ReconcileMetrics(registry), Clock.systemUTC());
    operator.register(
        reconciler,
        c -> {
          c.withName(InferenceServiceReconciler.NAME);
          c.withFieldManager(ControllerSettings.FIELD_MANAGER);
          // Labels and annotations are part of the plan (the mode, the autoscaler class,
          // templates such as {{index .Annotations "aml-model-repo"}}), but do not bump the
          // generation: reconcile on them too, and not on status-only changes.
          c.withGenerationAware(false);
          c.withOnUpdateFilter(PlanInputChange::of);
          if (settings.allNamespaces()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.namespaces());
          }
        });
    HealthServer http =
        settings.httpPort() < 0
            ? null
            : HealthServer.start(settings.httpPort(), operator, registry, broken);
    operator.start();
    logger.info(
        "reconciling InferenceServices in {} (server-side apply {}, leader election {})",
        settings.allNamespaces() ? "all namespaces" : settings.namespaces(),
        settings.serverSideApply() ? "on" : "off",
        settings.leaderElection() == null ? "off" : "on");
    return new StowageController(operator, registry, http, reconciler, events);
  }

  private static void configure(
      ConfigurationServiceOverrider o,
      ControllerSettings settings,
      KubernetesClient client,
      PrometheusMeterRegistry registry,
      AtomicBoolean broken) {
    o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withMetrics(MicrometerMetricsV2.newBuilder(registry).build())
        .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
        .withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply())
        .withConcurrentReconciliationThreads(settings.reconcileThreads())
        .withCacheSyncTimeout(settings.cacheSyncTimeout())
        // A stopped informer fails the liveness probe and the kubelet restarts the pod, instead
        // of JOSDK's System.exit in the middle of whatever else runs in this JVM.
        .withInformerStoppedHandler(
            (informer, e) -> {
              if (e != null) {
                broken.set(true);
                logger.error("an informer stopped: {}", e.toString());
              }
            });
    ControllerSettings.LeaderElection election = settings.leaderElection();
    if (election != null) {
      LeaderElectionConfigurationBuilder b =
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                  ControllerSettings.LEASE_NAME)
              .withLeaseNamespace(election.leaseNamespace())
              .withIdentity(election.identity());
      o.withLeaderElectionConfiguration(
          election.exitWhenLost() ? b.build() : b.buildForTest(false));
    }
  }

  /** The HTTP port actually bound, or -1 without endpoints. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** What the controller holds in memory (informer caches): for diagnostics and tests. */
  public Watches watches() {
    return reconciler.watches();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    operator.stop();
    // After the reconcilers stopped, so that what they recorded last is still sent.
    events.close();
    if (http != null) {
      http.close();
    }
    registry.close();
  }
}
