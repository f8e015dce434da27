package io.stowage.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.controller.watch.Watches;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.workload.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the cluster hold the planned Deployment, Service and HPA, and no predictor object the plan
 * dropped. An object is written only when the plan changed or the live object stopped matching it,
 * so a reconcile caused by a pod or a status change costs no API call.
 */
final class WorkloadSync {
  /** The objects are in place; {@code deployment} is the live one, for the status. */
  record Synced(Deployment deployment, List<Change> changes) {}

  /** An object of the same name exists and belongs to something else: it is not touched. */
  static final class ForeignObjectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ForeignObjectException(String message) {
      super(message);
    }
  }

  private record Applied(String digest, String resourceVersion) {}

  private final Watches watches;
  private final ObjectWriter writer;
  private static final int PRUNE_EVERY = 4096;
  private final Map<String, Applied> applied = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong syncs =
      new java.util.concurrent.atomic.AtomicLong();

  WorkloadSync(Watches watches, ObjectWriter writer) {
    this.watches = watches;
    this.writer = writer;
  }

  Synced sync(
      InferenceServiceResource isvc,
      PlannedWorkload plan,
      Context<InferenceServiceResource> context) {
    if (syncs.incrementAndGet() % PRUNE_EVERY == 0) {
      pruneNow();
    }
    List<Change> changes = new ArrayList<>();
    Deployment deployment = put(plan.deployment(), watches.deployments(), isvc, context, changes);
    put(plan.service(), watches.services(), isvc, context, changes);
    if (plan.autoscaler() != null) {
      put(plan.autoscaler(), watches.autoscalers(), isvc, context, changes);
    } else {
      remove(watches.autoscalers(), Names.predictor(name(isvc)), isvc, context, changes);
    }
    return new Synced(deployment, changes);
  }

  private <R extends HasMetadata> R put(
      R desired,
      InformerEventSource<R, InferenceServiceResource> cache,
      InferenceServiceResource isvc,
      Context<InferenceServiceResource> context,
      List<Change> changes) {
    String key = key(desired);
    Optional<R> live = cache.get(ResourceID.fromResource(desired));
    live.ifPresent(l -> requireOwnedBy(l, isvc));
    String digest = DesiredState.digest(desired);
    Applied last = applied.get(key);
    Change.Verb verb;
    if (live.isEmpty()) {
      verb = Change.Verb.CREATED;
    } else if (last != null && !last.digest().equals(digest)) {
      verb = Change.Verb.UPDATED;
    } else if (last != null && last.resourceVersion().equals(version(live.get()))) {
      return live.get();
    } else if (DesiredState.isContainedIn(desired, live.get())) {
      applied.put(key, new Applied(digest, version(live.get())));
      return live.get();
    } else {
      verb = last == null ? Change.Verb.UPDATED : Change.Verb.REVERTED;
    }
    R written = writer.write(desired, live, context);
    applied.put(key, new Applied(digest, version(written)));
    changes.add(new Change(verb, desired.getKind(), desired.getMetadata().getName()));
    return written;
  }

  private <R extends HasMetadata> void remove(
      InformerEventSource<R, InferenceServiceResource> cache,
      String name,
      InferenceServiceResource isvc,
      Context<InferenceServiceResource> context,
      List<Change> changes) {
    Optional<R> live = cache.get(new ResourceID(name, isvc.getMetadata().getNamespace()));
    if (live.isEmpty() || !ownedBy(live.get(), isvc)) {
      return;
    }
    context.getClient().resource(live.get()).delete();
    applied.remove(key(live.get()));
    changes.add(new Change(Change.Verb.DELETED, live.get().getKind(), name));
  }

  /**
   * Forgets objects that are gone (their InferenceService was deleted and the garbage collector
   * took them), so that the memory of what was applied does not grow with every InferenceService
   * ever seen.
   */
  private void pruneNow() {
    java.util.Set<String> live = new java.util.HashSet<>();
    watches.deployments().list().forEach(o -> live.add(key(o)));
    watches.services().list().forEach(o -> live.add(key(o)));
    watches.autoscalers().list().forEach(o -> live.add(key(o)));
    applied.keySet().retainAll(live);
  }

  private static void requireOwnedBy(HasMetadata live, InferenceServiceResource isvc) {
    if (!ownedBy(live, isvc)) {
      throw new ForeignObjectException(
          live.getKind()
              + " "
              + live.getMetadata().getName()
              + " exists and is not controlled by this InferenceService: delete or rename it");
    }
  }

  private static boolean ownedBy(HasMetadata live, InferenceServiceResource isvc) {
    List<OwnerReference> owners =
        Objects.requireNonNullElse(live.getMetadata().getOwnerReferences(), List.of());
    String uid = isvc.getMetadata().getUid();
    return owners.stream()
        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && Objects.equals(o.getUid(), uid));
  }

  private static String key(HasMetadata object) {
    return object.getKind()
        + "/"
        + object.getMetadata().getNamespace()
        + "/"
        + object.getMetadata().getName();
  }

  private static String version(HasMetadata object) {
    return Objects.requireNonNullElse(object.getMetadata().getResourceVersion(), "");
  }

  private static String name(InferenceServiceResource isvc) {
    return Objects.requireNonNullElse(isvc.getMetadata().getName(), "");
  }
}
