package io.stowage.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.stowage.serving.api.ServingJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the differential tests compare of the objects around the Pod, flattened as {@link PodView}
 * does: the Deployment's labels, annotations, selector, replicas, strategy and pod template
 * metadata; the Service's labels, annotations, type, selector and ports; the HPA's labels,
 * annotations and spec. Names and what the API server and controllers assign (cluster IPs, uids,
 * owner references, the Deployment controller's {@code deployment.kubernetes.io/revision}) are left
 * out; both sides have been through the API server's defaulting (KServe's objects as created,
 * Stowage's by a server-side dry run).
 */
final class WorkloadView {
  /** Written by the Deployment controller once it has seen the Deployment, not by KServe. */
  private static final String DEPLOYMENT_REVISION = "deployment.kubernetes.io/revision";

  private static final List<String> DEPLOYMENT_SPEC = List.of("selector", "replicas", "strategy");
  private static final List<String> SERVICE_SPEC = List.of("type", "selector", "ports");

  private WorkloadView() {}

  static Map<String, String> of(
      Deployment deployment, Service service, @Nullable HorizontalPodAutoscaler hpa) {
    Map<String, String> out = new TreeMap<>();
    JsonNode d = ServingJson.tree(deployment);
    metadata("/deployment", d.path("metadata"), out);
    out.remove("/deployment/annotations/" + DEPLOYMENT_REVISION);
    for (String field : DEPLOYMENT_SPEC) {
      PodView.flattenInto("/deployment/" + field, d.path("spec").path(field), out);
    }
    metadata("/deployment/template", d.path("spec").path("template").path("metadata"), out);
    JsonNode s = ServingJson.tree(service);
    metadata("/service", s.path("metadata"), out);
    for (String field : SERVICE_SPEC) {
      PodView.flattenInto("/service/" + field, s.path("spec").path(field), out);
    }
    if (hpa != null) {
      JsonNode h = ServingJson.tree(hpa);
      metadata("/hpa", h.path("metadata"), out);
      PodView.flattenInto("/hpa", h.path("spec"), out);
    }
    return out;
  }

  private static void metadata(String path, JsonNode metadata, Map<String, String> out) {
    PodView.flattenInto(path + "/labels", metadata.path("labels"), out);
    PodView.flattenInto(path + "/annotations", metadata.path("annotations"), out);
  }
}
