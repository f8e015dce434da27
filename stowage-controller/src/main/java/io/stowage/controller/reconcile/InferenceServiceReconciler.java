package io.stowage.controller.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.stowage.controller.ControllerSettings;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.controller.crd.InferenceServiceStatus;
import io.stowage.controller.crd.ModelStatus;
import io.stowage.controller.events.EventRecorder;
import io.stowage.controller.ops.ReconcileMetrics;
import io.stowage.controller.status.ModelStatuses;
import io.stowage.controller.status.StatusBuilder;
import io.stowage.controller.watch.ConfigView;
import io.stowage.controller.watch.Watches;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanResult;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.ServingPlanner;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.config.DeploymentMode;
import io.stowage.serving.config.InferenceServiceConfig;
import io.stowage.serving.pod.Templates;
import io.stowage.serving.workload.Names;
import io.stowage.serving.workload.Urls;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reconciles one InferenceService: reads the planner's input from the caches, plans, makes the
 * cluster hold the plan, and reports the outcome as status and events. Every decision is the
 * planner's; this class only moves objects and words.
 *
 * <p>An InferenceService that cannot be planned gets {@code Ready=False} with every reason and a
 * Warning event, and the reconcile succeeds: a wrong spec is fixed by its author, not by retries.
 * Objects it already had stay as they were.
 */
public final class InferenceServiceReconciler implements Reconciler<InferenceServiceResource> {
  public static final String NAME = "inferenceservice";

  /** The reason when the global CA bundle a plan mounts cannot be copied. */
  static final String CA_BUNDLE_MISSING = "CaBundleMissing";

  /** The event reason when a permanent initializer failure stops the predictor. */
  static final String INITIALIZER_FAILED_PERMANENTLY = "InitializerFailedPermanently";

  private final ControllerSettings settings;
  private final EventRecorder events;
  private final ReconcileMetrics metrics;
  private final Clock clock;
  private @Nullable Wiring wiring;

  /**
   * What {@link #prepareEventSources} builds: the caches and what reads and writes through them.
   */
  private record Wiring(
      Watches watches, SnapshotReader snapshots, WorkloadSync sync, CaBundleCopy caBundles) {}

  public InferenceServiceReconciler(
      ControllerSettings settings, EventRecorder events, ReconcileMetrics metrics, Clock clock) {
    this.settings = settings;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, InferenceServiceResource>> prepareEventSources(
      EventSourceContext<InferenceServiceResource> context) {
    Watches watches = new Watches(context, settings);
    wiring =
        new Wiring(
            watches,
            new SnapshotReader(watches),
            new WorkloadSync(watches, ObjectWriter.of(settings.serverSideApply())),
            new CaBundleCopy(watches, settings.configNamespace()));
    return watches.all();
  }

  /** The caches the reconciler reads, once the operator has prepared its event sources. */
  public Watches watches() {
    return Objects.requireNonNull(wiring, "event sources not prepared").watches();
  }

  @Override
  public UpdateControl<InferenceServiceResource> reconcile(
      InferenceServiceResource resource, Context<InferenceServiceResource> context) {
    Wiring w = Objects.requireNonNull(wiring, "event sources not prepared");
    InferenceServiceStatus previous =
        Objects.requireNonNullElse(resource.getStatus(), InferenceServiceStatus.EMPTY);
    StatusBuilder status =
        new StatusBuilder(
            previous,
            Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L),
            clock.instant().toString());
    ConfigView.Parsed parsed = w.watches().config().current();
    if (parsed instanceof ConfigView.Parsed.Invalid invalid) {
      String message =
          "ConfigMap "
              + settings.configNamespace()
              + "/"
              + InferenceServiceConfig.NAME
              + " cannot be used: "
              + String.join("; ", invalid.problems());
      events.record(resource, EventRecorder.Type.WARNING, "InvalidConfig", message);
      return finish(resource, previous, status.failed("InvalidConfig", message), "failed");
    }
    InferenceServiceConfig config = ((ConfigView.Parsed.Usable) parsed).config();
    Optional<InferenceServiceStatus> unmanaged = modeCheck(resource, config, status);
    if (unmanaged.isPresent()) {
      return finish(resource, previous, unmanaged.get(), "not_managed");
    }
    InferenceService isvc = Conversions.inferenceService(resource);
    ClusterSnapshot snapshot = w.snapshots().read(resource, isvc.namespace(), config);
    PlanResult result = metrics.timePlan(() -> ServingPlanner.plan(isvc, snapshot));
    if (!result.warnings().isEmpty()) {
      events.record(
          resource,
          EventRecorder.Type.WARNING,
          "PlanWarning",
          String.join("; ", result.warnings()));
    }
    if (result instanceof PlanResult.Rejected rejected) {
      events.record(
          resource,
          EventRecorder.Type.WARNING,
          StatusBuilder.INVALID_SPEC,
          rejected.errors().stream().map(Object::toString).collect(Collectors.joining("; ")));
      return finish(resource, previous, status.rejected(rejected.errors()), "rejected");
    }
    PlannedWorkload plan = ((PlanResult.Planned) result).workload();
    Optional<String> caBundle =
        w.caBundles()
            .ensure(
                isvc.namespace(),
                plan.deployment().getSpec().getTemplate().getSpec(),
                config,
                context.getClient());
    if (caBundle.isPresent()) {
      events.record(resource, EventRecorder.Type.WARNING, CA_BUNDLE_MISSING, caBundle.get());
      return finish(resource, previous, status.failed(CA_BUNDLE_MISSING, caBundle.get()), "failed");
    }
    FailFast.Decision failFast = FailFast.decide(plan, previous, pods(w.watches(), isvc));
    FailFast.apply(
        plan, failFast, w.watches().deployments().get(ResourceID.fromResource(plan.deployment())));
    WorkloadSync.Synced synced;
    try {
      synced = w.sync().sync(resource, plan, context);
    } catch (WorkloadSync.ForeignObjectException e) {
      String message = String.valueOf(e.getMessage());
      events.record(resource, EventRecorder.Type.WARNING, "ReconcileFailed", message);
      return finish(resource, previous, status.failed("ReconcileFailed", message), "failed");
    }
    synced
        .changes()
        .forEach(
            c ->
                events.record(resource, EventRecorder.Type.NORMAL, c.verb().reason(), c.message()));
    if (failFast.stopped().isPresent()) {
      return stopped(resource, previous, status, failFast.stopped().get());
    }
    List<Pod> pods = pods(w.watches(), isvc);
    InferenceServiceStatus next =
        status.planned(plan, synced.deployment(), pods, predictorUrl(isvc, config, plan));
    reportModelFailure(resource, next.modelStatus());
    return finish(resource, previous, next, synced.changes().isEmpty() ? "unchanged" : "applied");
  }

  @Override
  public ErrorStatusUpdateControl<InferenceServiceResource> updateErrorStatus(
      InferenceServiceResource resource, Context<InferenceServiceResource> context, Exception e) {
    String message = "fails to reconcile component: " + firstLine(e);
    events.record(resource, EventRecorder.Type.WARNING, "InternalError", message);
    metrics.outcome("error");
    InferenceServiceStatus previous =
        Objects.requireNonNullElse(resource.getStatus(), InferenceServiceStatus.EMPTY);
    InferenceServiceStatus next =
        new StatusBuilder(
                previous,
                Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L),
                clock.instant().toString())
            .failed("ReconcileFailed", message);
    if (next.equals(previous)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    resource.setStatus(next);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  /** Empty for a Standard InferenceService; otherwise the status that says why it is left alone. */
  private Optional<InferenceServiceStatus> modeCheck(
      InferenceServiceResource resource, InferenceServiceConfig config, StatusBuilder status) {
    Map<String, String> annotations =
        Objects.requireNonNullElse(resource.getMetadata().getAnnotations(), Map.of());
    String annotated = annotations.get(DeploymentMode.ANNOTATION);
    Optional<DeploymentMode> mode =
        annotated == null
            ? Optional.of(config.defaultDeploymentMode())
            : DeploymentMode.parse(annotated);
    if (mode.isEmpty()) {
      String message =
          DeploymentMode.INVALID
              + " (annotation "
              + DeploymentMode.ANNOTATION
              + " is \""
              + annotated
              + "\")";
      events.record(resource, EventRecorder.Type.WARNING, "InvalidDeploymentMode", message);
      return Optional.of(status.notManaged("InvalidDeploymentMode", message));
    }
    if (mode.get() == DeploymentMode.STANDARD) {
      return Optional.empty();
    }
    String message =
        "deployment mode "
            + mode.get().label()
            + (annotated == null ? " (the inferenceservice-config default)" : "")
            + " is left to another controller: Stowage reconciles Standard (RawDeployment) only;"
            + " set the annotation "
            + DeploymentMode.ANNOTATION
            + ": Standard to have Stowage serve it";
    events.record(resource, EventRecorder.Type.NORMAL, "UnsupportedDeploymentMode", message);
    return Optional.of(status.notManaged("UnsupportedDeploymentMode", message));
  }

  /** The revision is scaled to zero for a permanent initializer failure; say so once, and how. */
  private UpdateControl<InferenceServiceResource> stopped(
      InferenceServiceResource resource,
      InferenceServiceStatus previous,
      StatusBuilder status,
      ModelStatus.FailureInfo failure) {
    String message =
        "storage-initializer failed permanently (exit code "
            + failure.exitCode()
            + "): "
            + failure.message()
            + "; the predictor is scaled to zero instead of restarting; fix the cause, then change"
            + " the InferenceService or set a new value of annotation "
            + FailFast.RETRY;
    ModelStatus.FailureInfo before =
        previous.modelStatus() == null ? null : previous.modelStatus().lastFailureInfo();
    if (before == null
        || !Objects.equals(before.modelRevisionName(), failure.modelRevisionName())) {
      events.record(resource, EventRecorder.Type.WARNING, INITIALIZER_FAILED_PERMANENTLY, message);
    }
    return finish(resource, previous, status.stopped(failure, message), "stopped");
  }

  private void reportModelFailure(InferenceServiceResource resource, @Nullable ModelStatus model) {
    ModelStatus.FailureInfo failure = model == null ? null : model.lastFailureInfo();
    if (failure != null && ModelStatuses.MODEL_LOAD_FAILED.equals(failure.reason())) {
      events.record(
          resource,
          EventRecorder.Type.WARNING,
          ModelStatuses.MODEL_LOAD_FAILED,
          "storage-initializer failed"
              + (failure.exitCode() == null ? "" : " (exit code " + failure.exitCode() + ")")
              + ": "
              + failure.message());
    }
  }

  private UpdateControl<InferenceServiceResource> finish(
      InferenceServiceResource resource,
      InferenceServiceStatus previous,
      InferenceServiceStatus next,
      String outcome) {
    metrics.outcome(outcome);
    if (next.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    resource.setStatus(next);
    return UpdateControl.patchStatus(resource);
  }

  private static List<Pod> pods(Watches watches, InferenceService isvc) {
    String app = Names.appLabel(isvc.name());
    return watches
        .pods()
        .list(
            isvc.namespace(),
            p ->
                app.equals(
                    Objects.requireNonNullElse(
                            p.getMetadata().getLabels(), Map.<String, String>of())
                        .get(Names.APP_LABEL)))
        .toList();
  }

  /** {@code status.components.predictor.url}: the ingress host of {@code <name>-predictor}. */
  private static String predictorUrl(
      InferenceService isvc, InferenceServiceConfig config, PlannedWorkload plan) {
    if (plan.url().equals(plan.addressUrl())) {
      return plan.addressUrl(); // cluster-local: no ingress host
    }
    try {
      return Urls.of(
              new ObjectMetaBuilder(isvc.metadata()).withName(Names.predictor(isvc.name())).build(),
              config.ingress(),
              false,
              0)
          .url();
    } catch (Templates.TemplateException e) {
      return plan.url();
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
