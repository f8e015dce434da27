package io.stowage.serving.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.serving.api.Quantities;
import io.stowage.serving.api.ServingJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sections of KServe's {@code inferenceservice-config} ConfigMap that decide what the planner
 * produces. Each section is a JSON document under its key; a missing key means the section a fresh
 * KServe install ships.
 */
public record InferenceServiceConfig(
    StorageInitializerConfig storageInitializer,
    CredentialsConfig credentials,
    DeployConfig deploy,
    IngressConfig ingress,
    InferenceServiceSection inferenceService,
    ServiceConfig service,
    SecurityConfig security) {
  public static final String NAME = "inferenceservice-config";

  /** The namespace KServe's controller (and its config and CA bundle) lives in. */
  public static final String CONTROLLER_NAMESPACE = "kserve";

  public static final InferenceServiceConfig FRESH_INSTALL =
      new InferenceServiceConfig(
          StorageInitializerConfig.FRESH_INSTALL,
          CredentialsConfig.FRESH_INSTALL,
          DeployConfig.FRESH_INSTALL,
          IngressConfig.FRESH_INSTALL,
          InferenceServiceSection.FRESH_INSTALL,
          ServiceConfig.FRESH_INSTALL,
          SecurityConfig.FRESH_INSTALL);

  /**
   * Reads the ConfigMap's {@code data}.
   *
   * @throws ConfigException naming every key whose JSON or values cannot be used
   */
  public static InferenceServiceConfig fromConfigMapData(Map<String, String> data)
      throws ConfigException {
    List<String> problems = new ArrayList<>();
    Reader reader = new Reader(data, problems);
    InferenceServiceConfig config =
        new InferenceServiceConfig(
            reader.section(
                "storageInitializer",
                StorageInitializerConfig.class,
                StorageInitializerConfig.FRESH_INSTALL),
            reader.section("credentials", CredentialsConfig.class, CredentialsConfig.FRESH_INSTALL),
            reader.section("deploy", DeployConfig.class, DeployConfig.FRESH_INSTALL),
            reader.section("ingress", IngressConfig.class, IngressConfig.FRESH_INSTALL),
            reader.section(
                "inferenceService",
                InferenceServiceSection.class,
                InferenceServiceSection.FRESH_INSTALL),
            reader.section("service", ServiceConfig.class, ServiceConfig.FRESH_INSTALL),
            reader.section("security", SecurityConfig.class, SecurityConfig.FRESH_INSTALL));
    config.check(problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /**
   * The mode for InferenceServices without the annotation (an invalid value fails {@link
   * #fromConfigMapData}).
   */
  public DeploymentMode defaultDeploymentMode() {
    String mode = Objects.requireNonNullElse(deploy.defaultDeploymentMode(), "Serverless");
    return DeploymentMode.parse(mode).orElse(DeploymentMode.KNATIVE);
  }

  private void check(List<String> problems) {
    storageInitializer
        .quantities()
        .forEach(
            (key, value) -> {
              if (!Quantities.isValid(value)) {
                problems.add(
                    "failed to parse resource configuration for \"storageInitializer\". \""
                        + key
                        + "\": "
                        + value
                        + " is not a Kubernetes quantity");
              }
            });
    if (!StorageInitializerConfig.ociModes().contains(storageInitializer.ociModelMode())) {
      problems.add(
          "storageInitializer.ociModelMode: \""
              + storageInitializer.ociModelMode()
              + "\" is not one of "
              + StorageInitializerConfig.ociModes());
    }
    String mode = deploy.defaultDeploymentMode();
    if (mode != null && DeploymentMode.parse(mode).isEmpty()) {
      problems.add(
          "deploy.defaultDeploymentMode: " + DeploymentMode.INVALID + " (got \"" + mode + "\")");
    }
  }

  /** Reads sections, collecting one problem per unreadable key. */
  private record Reader(Map<String, String> data, List<String> problems) {
    <T> T section(String key, Class<T> type, T fallback) {
      String json = data.get(key);
      if (json == null || json.isBlank()) {
        return fallback;
      }
      ObjectMapper mapper = ServingJson.mapper();
      try {
        T value = mapper.readValue(json, type);
        return value == null ? fallback : value;
      } catch (JsonProcessingException e) {
        problems.add(
            "ConfigMap "
                + NAME
                + " key "
                + key
                + ": unable to parse "
                + key
                + " config json: "
                + e.getOriginalMessage());
        return fallback;
      }
    }
  }
}
