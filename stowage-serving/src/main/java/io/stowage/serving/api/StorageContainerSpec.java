package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A ClusterStorageContainer's spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageContainerSpec(
    @Nullable Container container,
    @Nullable List<SupportedUriFormat> supportedUriFormats,
    @Nullable String workloadType,
    @Nullable Boolean supportsMultiModelDownload,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public static final String INIT_CONTAINER = "initContainer";
  static final StorageContainerSpec EMPTY =
      new StorageContainerSpec(null, null, null, null, Map.of());

  public StorageContainerSpec {
    otherFields = ServingJson.otherFields(otherFields);
  }

  public List<SupportedUriFormat> formatsOrEmpty() {
    return supportedUriFormats == null ? List.of() : supportedUriFormats;
  }

  /** {@code workloadType}, defaulting to {@value #INIT_CONTAINER} as the CRD does. */
  public String workloadTypeOrDefault() {
    return workloadType == null || workloadType.isEmpty() ? INIT_CONTAINER : workloadType;
  }
}
