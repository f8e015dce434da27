package io.stowage.serving.credentials;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.stowage.serving.config.S3CredentialConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * KServe's S3 credential environment ({@code BuildS3EnvVars}, v0.17+ endpoint handling). Each
 * setting is looked up in the Secret's {@code serving.kserve.io/s3-*} annotation, then in the
 * Secret's data under the env var's name, then in the config. Annotation and config values are
 * written as values; a value found in Secret data becomes a {@code secretKeyRef} to that key, and a
 * derived value refers to it with {@code $(VAR)}, so no Secret value is copied.
 */
public final class S3Env {
  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String CA_BUNDLE = "AWS_CA_BUNDLE";
  public static final String CA_BUNDLE_CONFIGMAP = "AWS_CA_BUNDLE_CONFIGMAP";
  static final String ANNOTATION_PREFIX = "serving.kserve.io/";

  /** The settings after the endpoint, in KServe's order. */
  private static final List<Setting> SETTINGS =
      List.of(
          new Setting("s3-verifyssl", "S3_VERIFY_SSL", S3CredentialConfig::s3VerifySSL),
          new Setting(
              "s3-useanoncredential",
              "awsAnonymousCredential",
              S3CredentialConfig::s3UseAnonymousCredential),
          new Setting("s3-region", "AWS_DEFAULT_REGION", S3CredentialConfig::s3Region),
          new Setting(
              "s3-usevirtualbucket",
              "S3_USER_VIRTUAL_BUCKET",
              S3CredentialConfig::s3UseVirtualBucket),
          new Setting("s3-useaccelerate", "S3_USE_ACCELERATE", S3CredentialConfig::s3UseAccelerate),
          new Setting("s3-cabundle", CA_BUNDLE, S3CredentialConfig::s3CABundle),
          new Setting(
              "s3-cabundle-configmap",
              CA_BUNDLE_CONFIGMAP,
              S3CredentialConfig::s3CABundleConfigMap));

  private static final Setting ENDPOINT =
      new Setting("s3-endpoint", "S3_ENDPOINT", S3CredentialConfig::s3Endpoint);
  private static final Setting USE_HTTPS =
      new Setting("s3-usehttps", "S3_USE_HTTPS", S3CredentialConfig::s3UseHttps);

  private S3Env() {}

  private record Setting(
      String annotation, String env, Function<S3CredentialConfig, @Nullable String> config) {}

  /** Where a setting's value was found. */
  private record Found(String value, @Nullable String secretName, String env) {
    EnvVar asEnv(String name) {
      return secretName == null ? Env.plain(name, value) : Env.secretRef(name, secretName, env);
    }
  }

  /** The environment of an S3 Secret: the two keys as references, then the settings. */
  public static InitializerCredentials fromSecret(Secret secret, S3CredentialConfig config) {
    String name = SecretData.name(secret);
    List<EnvVar> env = new ArrayList<>();
    env.add(Env.secretRef(ACCESS_KEY_ID, name, config.accessKeyIdName()));
    env.add(Env.secretRef(SECRET_ACCESS_KEY, name, config.secretAccessKeyName()));
    Map<String, String> settings = new HashMap<>();
    settings(SecretData.annotations(secret), secret, config, env, settings);
    return new InitializerCredentials(env, List.of(), List.of(), settings);
  }

  /**
   * The environment of an IRSA ServiceAccount ({@code eks.amazonaws.com/role-arn}): the same
   * settings, read from the ServiceAccount's annotations; no keys.
   */
  public static InitializerCredentials fromAnnotations(
      Map<String, String> annotations, S3CredentialConfig config) {
    List<EnvVar> env = new ArrayList<>();
    Map<String, String> settings = new HashMap<>();
    settings(annotations, null, config, env, settings);
    return new InitializerCredentials(env, List.of(), List.of(), settings);
  }

  private static void settings(
      Map<String, String> annotations,
      @Nullable Secret secret,
      S3CredentialConfig config,
      List<EnvVar> env,
      Map<String, String> settings) {
    lookup(ENDPOINT, annotations, secret, config)
        .ifPresent(endpoint -> endpoint(endpoint, annotations, secret, config, env));
    for (Setting s : SETTINGS) {
      lookup(s, annotations, secret, config)
          .ifPresent(
              found -> {
                env.add(found.asEnv(s.env()));
                settings.put(s.env(), found.value());
              });
    }
  }

  private static void endpoint(
      Found endpoint,
      Map<String, String> annotations,
      @Nullable Secret secret,
      S3CredentialConfig config,
      List<EnvVar> env) {
    String value = endpoint.value().strip();
    String lower = value.toLowerCase(Locale.ROOT);
    boolean https = lower.startsWith("https://");
    if (https || lower.startsWith("http://")) {
      // The scheme decides, whatever s3-usehttps says.
      env.add(Env.plain("S3_USE_HTTPS", https ? "1" : "0"));
      if (endpoint.secretName() == null) {
        env.add(Env.plain("S3_ENDPOINT", value.substring(https ? 8 : 7)));
        env.add(Env.plain("AWS_ENDPOINT_URL", value));
      } else {
        env.add(endpoint.asEnv("S3_ENDPOINT"));
        env.add(endpoint.asEnv("AWS_ENDPOINT_URL"));
      }
      return;
    }
    Optional<Found> useHttps = lookup(USE_HTTPS, annotations, secret, config);
    useHttps.ifPresent(found -> env.add(found.asEnv("S3_USE_HTTPS")));
    String scheme = useHttps.map(Found::value).orElse("").equals("0") ? "http://" : "https://";
    if (endpoint.secretName() == null) {
      env.add(Env.plain("S3_ENDPOINT", value));
      env.add(Env.plain("AWS_ENDPOINT_URL", scheme + value));
    } else {
      env.add(endpoint.asEnv("S3_ENDPOINT"));
      env.add(Env.plain("AWS_ENDPOINT_URL", scheme + "$(S3_ENDPOINT)"));
    }
  }

  private static Optional<Found> lookup(
      Setting s,
      Map<String, String> annotations,
      @Nullable Secret secret,
      S3CredentialConfig config) {
    String annotated = annotations.get(ANNOTATION_PREFIX + s.annotation());
    if (annotated != null && !annotated.isEmpty()) {
      return Optional.of(new Found(annotated, null, s.env()));
    }
    if (secret != null) {
      Optional<String> data = SecretData.value(secret, s.env());
      if (data.isPresent() && !data.get().isEmpty()) {
        return Optional.of(new Found(data.get(), SecretData.name(secret), s.env()));
      }
    }
    String configured = s.config().apply(config);
    return configured == null || configured.isEmpty()
        ? Optional.empty()
        : Optional.of(new Found(configured, null, s.env()));
  }
}
