package io.stowage.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The status KServe reports on an InferenceService (reference §4.3): conditions, the URLs, the
 * model's state with the last failure, the observed generation and the runtime in use.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
  "observedGeneration",
  "conditions",
  "url",
  "address",
  "components",
  "modelStatus",
  "deploymentMode",
  "servingRuntimeName",
  "clusterServingRuntimeName"
})
public record InferenceServiceStatus(
    @Nullable Long observedGeneration,
    @Nullable List<Condition> conditions,
    @Nullable String url,
    @Nullable Address address,
    @Nullable Map<String, ComponentStatus> components,
    @Nullable ModelStatus modelStatus,
    @Nullable String deploymentMode,
    @Nullable String servingRuntimeName,
    @Nullable String clusterServingRuntimeName) {

  public static final InferenceServiceStatus EMPTY =
      new InferenceServiceStatus(null, List.of(), null, null, Map.of(), null, null, null, null);

  public InferenceServiceStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    components = components == null ? Map.of() : Map.copyOf(components);
  }

  /** {@code conditions}, never null. */
  public List<Condition> conditionList() {
    return conditions == null ? List.of() : conditions;
  }

  /** The condition of {@code type}, if reported. */
  public Optional<Condition> condition(String type) {
    return conditionList().stream().filter(c -> type.equals(c.type())).findFirst();
  }

  /** {@code status.address}: the predictor Service's in-cluster URL. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Address(@Nullable String url) {}

  /** {@code status.components.predictor}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ComponentStatus(@Nullable String url) {}
}
