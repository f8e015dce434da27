package io.stowage.serving.workload;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.stowage.serving.config.IngressConfig;
import io.stowage.serving.pod.TemplateData;
import io.stowage.serving.pod.Templates;
import java.util.Map;

/**
 * The URLs the InferenceService reports (reference §4.3): {@code status.url} from the ingress
 * domain template, {@code status.address.url} from the predictor Service's cluster DNS name.
 */
public record Urls(String url, String addressUrl) {
  public static final String VISIBILITY_LABEL = "networking.kserve.io/visibility";

  public static Urls of(ObjectMeta isvc, IngressConfig ingress, boolean headless, int targetPort)
      throws Templates.TemplateException {
    String name = isvc.getName();
    String namespace = isvc.getNamespace();
    String address =
        "http://"
            + Names.predictor(name)
            + "."
            + namespace
            + ".svc.cluster.local"
            + (headless ? ":" + targetPort : "");
    Map<String, String> labels = isvc.getLabels() == null ? Map.of() : isvc.getLabels();
    if ("cluster-local".equals(labels.get(VISIBILITY_LABEL))
        || ingress.ingressDomain().equals("svc.cluster.local")) {
      return new Urls(address, address);
    }
    Map<String, Object> data = TemplateData.of(isvc);
    data.put("IngressDomain", ingress.ingressDomain());
    String host = Templates.render(ingress.domainTemplate(), data);
    return new Urls(ingress.urlScheme() + "://" + host, address);
  }
}
