package io.stowage.serving.credentials;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.config.CredentialsConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * KServe's service-account credential path ({@code CreateSecretVolumeAndEnv}): the predictor's
 * ServiceAccount ({@code default} when unnamed) and the Secrets it lists, read only from the
 * InferenceService's own namespace.
 */
public final class ServiceAccountCredentials {
  public static final String IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";
  static final String FIELD = "spec.predictor.serviceAccountName";

  private ServiceAccountCredentials() {}

  /**
   * The credentials for the storage-initializer. A missing ServiceAccount adds none and a warning
   * (KServe logs and goes on); a listed Secret that does not exist is an error (KServe's pod
   * webhook fails, so no pod is ever created).
   */
  public static InitializerCredentials build(
      String namespace,
      String serviceAccountName,
      Map<String, String> isvcAnnotations,
      ClusterSnapshot snapshot,
      PlanErrors errors) {
    CredentialsConfig config = snapshot.config().credentials();
    Optional<ServiceAccount> account = snapshot.serviceAccount(namespace, serviceAccountName);
    if (account.isEmpty()) {
      errors.warn(
          "ServiceAccount "
              + namespace
              + "/"
              + serviceAccountName
              + " not found: the storage-initializer gets no credentials (KServe does the same)");
      return InitializerCredentials.NONE;
    }
    Accumulator all = new Accumulator();
    Map<String, String> saAnnotations =
        Objects.requireNonNullElse(account.get().getMetadata().getAnnotations(), Map.of());
    if (saAnnotations.containsKey(IRSA_ANNOTATION)) {
      all.add(S3Env.fromAnnotations(saAnnotations, config.s3()));
    }
    for (String secretName : secretNames(account.get(), isvcAnnotations, config)) {
      Optional<Secret> secret = snapshot.secret(namespace, secretName);
      if (secret.isEmpty()) {
        errors.add(
            FIELD,
            "secrets \""
                + secretName
                + "\" not found: ServiceAccount "
                + namespace
                + "/"
                + serviceAccountName
                + " lists it; create it in namespace "
                + namespace
                + " or remove it from the ServiceAccount (KServe fails pod creation for this)");
        continue;
      }
      all.add(forSecret(secret.get(), config, errors));
    }
    return all.result();
  }

  private static List<String> secretNames(
      ServiceAccount account, Map<String, String> isvcAnnotations, CredentialsConfig config) {
    String annotation = config.secretNameAnnotation();
    if (!annotation.isEmpty()) {
      String only = isvcAnnotations.get(annotation);
      if (only != null && !only.isEmpty()) {
        return List.of(only);
      }
    }
    List<String> names = new ArrayList<>();
    for (ObjectReference ref :
        Objects.requireNonNullElse(account.getSecrets(), List.<ObjectReference>of())) {
      if (ref.getName() != null && !ref.getName().isEmpty()) {
        names.add(ref.getName());
      }
    }
    return names;
  }

  private static InitializerCredentials forSecret(
      Secret secret, CredentialsConfig config, PlanErrors errors) {
    Optional<SecretKind> kind = SecretKind.of(secret, config);
    if (kind.isEmpty()) {
      return InitializerCredentials.NONE;
    }
    return switch (kind.get()) {
      case S3 -> S3Env.fromSecret(secret, config.s3());
      case GCS -> OtherSecrets.gcs(secret, config);
      case HDFS -> OtherSecrets.hdfs(secret);
      case HUGGING_FACE -> OtherSecrets.huggingFace(secret);
      case HTTPS -> OtherSecrets.https(secret);
      case AZURE -> {
        errors.warn(
            "Secret "
                + SecretData.name(secret)
                + " holds Azure credentials, which Stowage does not wire yet: it is skipped");
        yield InitializerCredentials.NONE;
      }
    };
  }

  /** Merges the credentials of several secrets as KServe does. */
  static final class Accumulator {
    private List<EnvVar> env = new ArrayList<>();
    private final List<Volume> volumes = new ArrayList<>();
    private final List<VolumeMount> mounts = new ArrayList<>();
    private final Map<String, String> settings = new HashMap<>();

    void add(InitializerCredentials c) {
      env = EnvMerge.merge(env, c.env());
      for (Volume v : c.volumes()) {
        if (volumes.stream().noneMatch(existing -> existing.getName().equals(v.getName()))) {
          volumes.add(v);
        }
      }
      for (VolumeMount m : c.mounts()) {
        if (mounts.stream().noneMatch(existing -> existing.getName().equals(m.getName()))) {
          mounts.add(m);
        }
      }
      settings.putAll(c.settings());
    }

    InitializerCredentials result() {
      return new InitializerCredentials(env, volumes, mounts, settings);
    }
  }
}
