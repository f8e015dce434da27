package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One entry of {@code predictor.storageUris}; the CRD defaults {@code mountPath}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageUriSpec(
    @Nullable String uri,
    @Nullable String mountPath,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public static final String DEFAULT_MOUNT_PATH = "/mnt/models";

  public StorageUriSpec {
    otherFields = ServingJson.otherFields(otherFields);
  }

  public static StorageUriSpec of(String uri, String mountPath) {
    return new StorageUriSpec(uri, mountPath, Map.of());
  }

  /** {@code uri}, empty when missing. */
  public String uriOrEmpty() {
    return uri == null ? "" : uri;
  }

  /** {@code mountPath}, or the CRD's default {@value #DEFAULT_MOUNT_PATH}. */
  public String mountPathOrDefault() {
    return mountPath == null ? DEFAULT_MOUNT_PATH : mountPath;
  }
}
