package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code storageInitializer} section. A key left out takes the value a fresh KServe install
 * ships (KServe itself would fail on a missing quantity); an empty {@code image} falls back to
 * {@value #FALLBACK_IMAGE} as in KServe.
 *
 * <p>{@code ociModelMode} is the name KServe's newer releases use: {@code modelcar} (the default:
 * sidecar) or {@code native} (a Kubernetes image volume). {@code enableDirectPvcVolumeMount} is
 * read and ignored, as in KServe 0.16+: PVCs are always mounted directly.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageInitializerConfig(
    String image,
    String cpuRequest,
    String cpuLimit,
    String memoryRequest,
    String memoryLimit,
    String caBundleConfigMapName,
    String caBundleVolumeMountPath,
    Boolean enableModelcar,
    String cpuModelcar,
    String memoryModelcar,
    @Nullable Long uidModelcar,
    @Nullable Boolean enableDirectPvcVolumeMount,
    String ociModelMode,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public static final String FALLBACK_IMAGE = "kserve/storage-initializer:latest";
  public static final String DEFAULT_CA_MOUNT_PATH = "/etc/ssl/custom-certs";
  public static final long FRESH_UID_MODELCAR = 1010;
  public static final String OCI_MODE_MODELCAR = "modelcar";
  public static final String OCI_MODE_NATIVE = "native";

  /** What {@code config/configmap/inferenceservice.yaml} ships (v0.16-v0.19). */
  public static final StorageInitializerConfig FRESH_INSTALL =
      new StorageInitializerConfig(
          FALLBACK_IMAGE,
          "100m",
          "1",
          "100Mi",
          "1Gi",
          "",
          DEFAULT_CA_MOUNT_PATH,
          true,
          "10m",
          "15Mi",
          FRESH_UID_MODELCAR,
          null,
          OCI_MODE_MODELCAR,
          Map.of());

  public StorageInitializerConfig {
    image = image == null || image.isEmpty() ? FALLBACK_IMAGE : image;
    cpuRequest = cpuRequest == null ? "100m" : cpuRequest;
    cpuLimit = cpuLimit == null ? "1" : cpuLimit;
    memoryRequest = memoryRequest == null ? "100Mi" : memoryRequest;
    memoryLimit = memoryLimit == null ? "1Gi" : memoryLimit;
    caBundleConfigMapName = caBundleConfigMapName == null ? "" : caBundleConfigMapName;
    caBundleVolumeMountPath =
        caBundleVolumeMountPath == null || caBundleVolumeMountPath.isEmpty()
            ? DEFAULT_CA_MOUNT_PATH
            : caBundleVolumeMountPath;
    enableModelcar = enableModelcar == null || enableModelcar;
    cpuModelcar = cpuModelcar == null || cpuModelcar.isEmpty() ? "10m" : cpuModelcar;
    memoryModelcar = memoryModelcar == null || memoryModelcar.isEmpty() ? "15Mi" : memoryModelcar;
    ociModelMode =
        ociModelMode == null || ociModelMode.isEmpty()
            ? OCI_MODE_MODELCAR
            : ociModelMode.toLowerCase(Locale.ROOT);
    otherFields =
        otherFields == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(otherFields));
  }

  /** The quantities KServe parses, by key, for validation. */
  public Map<String, String> quantities() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("cpuRequest", cpuRequest);
    q.put("cpuLimit", cpuLimit);
    q.put("memoryRequest", memoryRequest);
    q.put("memoryLimit", memoryLimit);
    q.put("cpuModelcar", cpuModelcar);
    q.put("memoryModelcar", memoryModelcar);
    return q;
  }

  /** True when {@code oci://} URIs become image volumes instead of modelcar sidecars. */
  public boolean ociImageVolumes() {
    return OCI_MODE_NATIVE.equals(ociModelMode);
  }

  static List<String> ociModes() {
    return List.of(OCI_MODE_MODELCAR, OCI_MODE_NATIVE);
  }
}
