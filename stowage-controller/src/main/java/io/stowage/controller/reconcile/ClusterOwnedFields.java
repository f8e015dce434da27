package io.stowage.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.stowage.serving.api.ServingJson;

/**
 * Fields of a live object that a full replacement must keep, because the cluster, not the plan,
 * decides them.
 */
final class ClusterOwnedFields {
  private ClusterOwnedFields() {}

  @SuppressWarnings("unchecked")
  static <R extends HasMetadata> R carryOver(R desired, R live) {
    R copy = (R) ServingJson.fromTree(ServingJson.tree(desired), desired.getClass());
    copy.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
    if (copy instanceof Deployment d && live instanceof Deployment l) {
      if (d.getSpec().getReplicas() == null && l.getSpec() != null) {
        // The HPA owns the replica count; a replacement without one would reset it to 1.
        d.getSpec().setReplicas(l.getSpec().getReplicas());
      }
    } else if (copy instanceof Service s && live instanceof Service l && l.getSpec() != null) {
      ServiceSpec spec = s.getSpec();
      ServiceSpec was = l.getSpec();
      if (spec.getClusterIP() == null) {
        spec.setClusterIP(was.getClusterIP());
        spec.setClusterIPs(was.getClusterIPs());
      }
      if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
        spec.setIpFamilies(was.getIpFamilies());
        spec.setIpFamilyPolicy(was.getIpFamilyPolicy());
      }
    }
    return copy;
  }
}
