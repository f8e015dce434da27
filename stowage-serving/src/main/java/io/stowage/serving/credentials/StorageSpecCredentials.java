package io.stowage.serving.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.api.StorageSpec;
import io.stowage.serving.config.CredentialsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KServe's {@code storage:} spec path ({@code CreateStorageSpecSecretEnvs}): one entry of the
 * {@code storage-config} Secret, overridden by {@code parameters}, gives the storage type, the
 * bucket and the source URI; the initializer gets the entry by reference ({@code STORAGE_CONFIG})
 * and the parameters as {@code STORAGE_OVERRIDE_CONFIG}.
 */
public final class StorageSpecCredentials {
  static final String FIELD = "spec.predictor.model.storage";
  private static final List<String> TYPES = List.of("s3", "hdfs", "webhdfs");

  private StorageSpecCredentials() {}

  /** The source URI and the initializer's credentials. */
  public record Resolved(String uri, InitializerCredentials credentials) {}

  public static Optional<Resolved> resolve(
      String namespace,
      StorageSpec storage,
      Map<String, String> isvcAnnotations,
      ClusterSnapshot snapshot,
      PlanErrors errors) {
    CredentialsConfig config = snapshot.config().credentials();
    String secretName = config.storageSpecSecret();
    String override = isvcAnnotations.get(config.secretNameAnnotation());
    if (!config.secretNameAnnotation().isEmpty() && override != null && !override.isEmpty()) {
      secretName = override;
    }
    Map<String, String> parameters = storage.parametersOrEmpty();
    String givenKey = storage.key();
    boolean explicitKey = givenKey != null && !givenKey.isEmpty();
    String type = parameters.get("type");
    String key =
        givenKey != null && !givenKey.isEmpty()
            ? givenKey
            : type == null || type.isEmpty() ? "default" : "default_" + type;
    Map<String, String> merged = new LinkedHashMap<>();
    List<EnvVar> env = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    Optional<Secret> secret = snapshot.secret(namespace, secretName);
    if (secret.isEmpty()) {
      if (explicitKey) {
        errors.add(
            FIELD + ".key",
            "can't read storage secret "
                + secretName
                + ": secrets \""
                + secretName
                + "\" not found");
        return Optional.empty();
      }
    } else if (!SecretData.has(secret.get(), key)) {
      if (explicitKey) {
        errors.add(
            FIELD + ".key",
            "specified storage key " + key + " not found in storage secret " + secretName);
        return Optional.empty();
      }
    } else {
      Optional<Map<String, String>> entry = entry(secret.get(), key, secretName, errors);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      merged.putAll(entry.get());
      env.add(Env.secretRef("STORAGE_CONFIG", secretName, key));
    }
    merged.putAll(parameters);
    String cabundleConfigMap = merged.get("cabundle_configmap");
    if (cabundleConfigMap != null && !cabundleConfigMap.isEmpty()) {
      env.add(Env.plain(S3Env.CA_BUNDLE_CONFIGMAP, cabundleConfigMap));
      settings.put(S3Env.CA_BUNDLE_CONFIGMAP, cabundleConfigMap);
    }
    if (!parameters.isEmpty()) {
      env.add(Env.plain("STORAGE_OVERRIDE_CONFIG", json(parameters)));
    }
    return uri(merged, storage.path(), errors)
        .map(
            uri ->
                new Resolved(uri, new InitializerCredentials(env, List.of(), List.of(), settings)));
  }

  private static Optional<String> uri(
      Map<String, String> merged,
      @org.jspecify.annotations.Nullable String path,
      PlanErrors errors) {
    String type = merged.get("type");
    if (type == null || type.isEmpty()) {
      errors.add(FIELD, "unable to determine storage type");
      return Optional.empty();
    }
    if (!TYPES.contains(type)) {
      errors.add(
          FIELD + ".parameters.type",
          "storage type must be one of "
              + "[s3, hdfs, webhdfs]. storage type ["
              + type
              + "] is not supported");
      return Optional.empty();
    }
    String relative = path == null ? "" : path.replaceFirst("^/+", "");
    if (type.equals("s3")) {
      String bucket = merged.get("bucket");
      if (bucket == null || bucket.isEmpty()) {
        errors.add(
            FIELD,
            "format [s3] requires a bucket but one wasn't found in storage data or parameters");
        return Optional.empty();
      }
      return Optional.of("s3://" + bucket + "/" + relative);
    }
    return Optional.of(type + "://" + relative);
  }

  private static Optional<Map<String, String>> entry(
      Secret secret, String key, String secretName, PlanErrors errors) {
    Optional<String> json = SecretData.value(secret, key);
    try {
      Map<String, String> entry =
          ServingJson.mapper()
              .readValue(json.orElse("{}"), new TypeReference<Map<String, String>>() {});
      return Optional.of(entry == null ? Map.of() : entry);
    } catch (JsonProcessingException e) {
      // The message must not quote the entry: it holds the keys.
      errors.add(
          FIELD + ".key",
          "storage secret " + secretName + " key " + key + " is not a JSON object of strings");
      return Optional.empty();
    }
  }

  private static String json(Map<String, String> parameters) {
    try {
      return ServingJson.mapper().writeValueAsString(new java.util.TreeMap<>(parameters));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
