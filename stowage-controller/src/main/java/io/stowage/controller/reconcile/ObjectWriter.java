package io.stowage.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.stowage.controller.crd.InferenceServiceResource;
import java.util.Optional;

/**
 * Writes one desired object. Both implementations go through JOSDK's resource operations, which put
 * the response into the informer's cache and keep the controller's own write from triggering
 * another reconcile.
 */
sealed interface ObjectWriter permits ObjectWriter.ServerSideApply, ObjectWriter.CreateOrReplace {

  <R extends HasMetadata> R write(
      R desired, Optional<R> live, Context<InferenceServiceResource> context);

  static ObjectWriter of(boolean serverSideApply) {
    return serverSideApply ? new ServerSideApply() : new CreateOrReplace();
  }

  /**
   * Server-side apply with force, as field manager {@code stowage-controller}: the fields Stowage
   * sets are Stowage's; fields others set (the HPA's replicas, defaults) are left alone; a hand
   * edit of a Stowage field is taken back.
   */
  record ServerSideApply() implements ObjectWriter {
    @Override
    public <R extends HasMetadata> R write(
        R desired, Optional<R> live, Context<InferenceServiceResource> context) {
      return context.resourceOperations().serverSideApply(desired);
    }
  }

  /**
   * Create, or replace the whole object (fabric8's mock API server has no server-side apply).
   * Replacing keeps what the cluster owns: the resource version, the replica count an HPA set, and
   * a Service's allocated cluster IPs.
   */
  record CreateOrReplace() implements ObjectWriter {
    @Override
    public <R extends HasMetadata> R write(
        R desired, Optional<R> live, Context<InferenceServiceResource> context) {
      if (live.isEmpty()) {
        return context.resourceOperations().create(desired);
      }
      R replacement = ClusterOwnedFields.carryOver(desired, live.get());
      return context.resourceOperations().update(replacement);
    }
  }
}
