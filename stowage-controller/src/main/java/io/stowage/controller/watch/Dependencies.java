package io.stowage.controller.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.serving.api.InferenceServiceSpec;
import io.stowage.serving.api.ModelSpec;
import io.stowage.serving.api.PredictorSpec;
import io.stowage.serving.config.CredentialsConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an InferenceService's plan depends on, read from its spec without planning it: which
 * ServiceAccount, which Secrets, which runtime. The watches use this to re-plan exactly the
 * InferenceServices a change concerns.
 */
public final class Dependencies {
  static final String DEFAULT_SERVICE_ACCOUNT = "default";

  private Dependencies() {}

  /** {@code spec.predictor.serviceAccountName}, or {@code default} as the pod would get. */
  public static String serviceAccount(InferenceServiceResource isvc) {
    JsonNode name = predictor(isvc).otherFields().get("serviceAccountName");
    String text = name == null ? "" : name.asText("");
    return text.isEmpty() ? DEFAULT_SERVICE_ACCOUNT : text;
  }

  /** The explicit runtime name; empty when the runtime is auto-selected. */
  public static Optional<String> runtime(InferenceServiceResource isvc) {
    ModelSpec model = predictor(isvc).model();
    String name = model == null ? null : model.runtime();
    return name == null || name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  /** True when a runtime named {@code name} may be the one this InferenceService resolves to. */
  public static boolean mayUseRuntime(InferenceServiceResource isvc, String name) {
    return runtime(isvc).map(name::equals).orElse(true);
  }

  /**
   * True when the Secret {@code name} is read while planning this InferenceService: listed by its
   * ServiceAccount, or the storage-spec Secret (the configured name, or the one its annotation
   * names).
   */
  public static boolean mayUseSecret(
      InferenceServiceResource isvc,
      String name,
      Optional<ServiceAccount> account,
      CredentialsConfig credentials) {
    if (name.equals(credentials.storageSpecSecret())) {
      return true;
    }
    Map<String, String> annotations =
        Objects.requireNonNullElse(isvc.getMetadata().getAnnotations(), Map.of());
    String annotation = credentials.secretNameAnnotation();
    if (!annotation.isEmpty() && name.equals(annotations.get(annotation))) {
      return true;
    }
    List<ObjectReference> listed = account.map(ServiceAccount::getSecrets).orElse(List.of());
    return listed != null && listed.stream().anyMatch(ref -> name.equals(ref.getName()));
  }

  private static PredictorSpec predictor(InferenceServiceResource isvc) {
    InferenceServiceSpec spec = isvc.getSpec();
    PredictorSpec predictor = spec == null ? null : spec.predictor();
    return predictor == null
        ? new PredictorSpec(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, Map.of())
        : predictor;
  }
}
