package io.stowage.serving.credentials;

import static io.stowage.serving.Fixtures.RUNTIME;
import static io.stowage.serving.Fixtures.env;
import static io.stowage.serving.Fixtures.initContainer;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.serving.Fixtures;
import io.stowage.serving.PlanResult;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.config.ConfigException;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference §2: which secrets are used and the init container environment they give. */
class CredentialsTest {
  private static final String SA =
      """
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: sa, namespace: demo-space}
      secrets: [{name: creds}]
      """;
  private static final List<String> HF =
      List.of(
          "HF_HUB_ENABLE_HF_TRANSFER=1",
          "HF_XET_HIGH_PERFORMANCE=1",
          "HF_XET_NUM_CONCURRENT_RANGE_GETS=8");
  private static final List<String> KEYS =
      List.of(
          "AWS_ACCESS_KEY_ID<-creds/AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY<-creds/AWS_SECRET_ACCESS_KEY");

  static String secret(String annotations, String data) {
    return """
    apiVersion: v1
    kind: Secret
    metadata:
      name: creds
      namespace: demo-space
      annotations: {%s}
    data: {AWS_ACCESS_KEY_ID: QUtJRA==, AWS_SECRET_ACCESS_KEY: U0VDUkVU%s}
    """
        .formatted(annotations, data.isEmpty() ? "" : ", " + data);
  }

  static List<String> initEnv(String secret) {
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME, SA, secret, Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa"));
    List<String> env = env(initContainer(w, "storage-initializer"));
    return env.subList(0, env.size() - HF.size());
  }

  static Stream<Arguments> s3Settings() {
    return Stream.of(
        Arguments.of(
            "reference document: endpoint and usehttps 0",
            "serving.kserve.io/s3-endpoint: 'minio:9000', serving.kserve.io/s3-usehttps: '0'",
            "",
            List.of(
                "S3_USE_HTTPS=0", "S3_ENDPOINT=minio:9000", "AWS_ENDPOINT_URL=http://minio:9000")),
        Arguments.of(
            "usehttps unset: https URL, no S3_USE_HTTPS",
            "serving.kserve.io/s3-endpoint: 'minio:9000'",
            "",
            List.of("S3_ENDPOINT=minio:9000", "AWS_ENDPOINT_URL=https://minio:9000")),
        Arguments.of(
            "https:// endpoint wins over usehttps 0",
            "serving.kserve.io/s3-endpoint: ' HTTPS://s3.example.com ',"
                + " serving.kserve.io/s3-usehttps: '0'",
            "",
            List.of(
                "S3_USE_HTTPS=1",
                "S3_ENDPOINT=s3.example.com",
                "AWS_ENDPOINT_URL=HTTPS://s3.example.com")),
        Arguments.of(
            "http:// endpoint",
            "serving.kserve.io/s3-endpoint: 'http://minio:9000'",
            "",
            List.of(
                "S3_USE_HTTPS=0", "S3_ENDPOINT=minio:9000", "AWS_ENDPOINT_URL=http://minio:9000")),
        Arguments.of(
            "no endpoint: no endpoint variables, no region default",
            "serving.kserve.io/s3-usehttps: '0'",
            "",
            List.of()),
        Arguments.of(
            "every setting annotation, in KServe's order and names",
            "serving.kserve.io/s3-verifyssl: '0', serving.kserve.io/s3-useanoncredential: 'true',"
                + " serving.kserve.io/s3-region: eu-west-1, serving.kserve.io/s3-usevirtualbucket:"
                + " 'true', serving.kserve.io/s3-useaccelerate: 'true',"
                + " serving.kserve.io/s3-cabundle: /etc/ca/ca.pem",
            "",
            List.of(
                "S3_VERIFY_SSL=0",
                "awsAnonymousCredential=true",
                "AWS_DEFAULT_REGION=eu-west-1",
                "S3_USER_VIRTUAL_BUCKET=true",
                "S3_USE_ACCELERATE=true",
                "AWS_CA_BUNDLE=/etc/ca/ca.pem")),
        Arguments.of(
            "settings in Secret data are referenced, never copied",
            "",
            "S3_ENDPOINT: bWluaW86OTAwMA==, S3_USE_HTTPS: MA==, AWS_DEFAULT_REGION: ZXUtd2VzdC0x",
            List.of(
                "S3_USE_HTTPS<-creds/S3_USE_HTTPS",
                "S3_ENDPOINT<-creds/S3_ENDPOINT",
                "AWS_ENDPOINT_URL=http://$(S3_ENDPOINT)",
                "AWS_DEFAULT_REGION<-creds/AWS_DEFAULT_REGION")),
        Arguments.of(
            "an annotation wins over Secret data",
            "serving.kserve.io/s3-region: us-west-2",
            "AWS_DEFAULT_REGION: ZXUtd2VzdC0x",
            List.of("AWS_DEFAULT_REGION=us-west-2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("s3Settings")
  void s3SecretGivesKserveEnvironment(
      String description, String annotations, String data, List<String> settings) {
    List<String> expected = new java.util.ArrayList<>(KEYS);
    expected.addAll(settings);
    assertThat(initEnv(secret(annotations, data))).containsExactlyElementsOf(expected);
  }

  @Test
  void configValuesAreTheLastFallback() throws ConfigException {
    InferenceServiceConfig config =
        InferenceServiceConfig.fromConfigMapData(
            Map.of(
                "credentials",
                """
                {"s3": {"s3AccessKeyIDName": "AWS_ACCESS_KEY_ID",
                        "s3SecretAccessKeyName": "AWS_SECRET_ACCESS_KEY",
                        "s3Endpoint": "s3.internal:443", "s3Region": "cn-north-1"}}
                """));
    PlannedWorkload w =
        Fixtures.planned(
            config,
            RUNTIME,
            SA,
            secret("", ""),
            Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa"));
    assertThat(env(initContainer(w, "storage-initializer")))
        .contains(
            "S3_ENDPOINT=s3.internal:443",
            "AWS_ENDPOINT_URL=https://s3.internal:443",
            "AWS_DEFAULT_REGION=cn-north-1");
  }

  @Test
  void aCredentialsSectionWithoutKeyNamesUsesKservesCamelCaseDefaults() throws ConfigException {
    InferenceServiceConfig config =
        InferenceServiceConfig.fromConfigMapData(Map.of("credentials", "{\"s3\": {}}"));
    PlannedWorkload w =
        Fixtures.planned(
            config,
            RUNTIME,
            SA,
            secret("", ""),
            Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa"));
    // AWS_SECRET_ACCESS_KEY is not awsSecretAccessKey: the Secret is not recognised as S3.
    assertThat(env(initContainer(w, "storage-initializer"))).containsExactlyElementsOf(HF);
  }

  @Test
  void theFirstSecretsReferenceStaysAndLaterPlainValuesWin() {
    String sa =
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: sa, namespace: demo-space}
        secrets: [{name: creds}, {name: other}]
        """;
    String other =
        secret("serving.kserve.io/s3-endpoint: 'b:2'", "").replace("name: creds", "name: other");
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME,
            sa,
            secret("serving.kserve.io/s3-endpoint: 'a:1'", ""),
            other,
            Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa"));
    assertThat(env(initContainer(w, "storage-initializer")))
        .startsWith(KEYS.get(0), KEYS.get(1), "S3_ENDPOINT=b:2", "AWS_ENDPOINT_URL=https://b:2");
  }

  @Test
  void irsaServiceAccountAnnotationsGiveSettingsWithoutKeys() {
    String sa =
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: sa
          namespace: demo-space
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::1:role/r
            serving.kserve.io/s3-region: eu-central-1
        """;
    PlannedWorkload w =
        Fixtures.planned(RUNTIME, sa, Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa"));
    assertThat(env(initContainer(w, "storage-initializer")))
        .startsWith("AWS_DEFAULT_REGION=eu-central-1");
  }

  @Test
  void aListedSecretThatDoesNotExistIsAnError() {
    assertThat(
            Fixtures.errors(RUNTIME, SA, Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa")))
        .containsExactly(
            "spec.predictor.serviceAccountName: secrets \"creds\" not found: ServiceAccount"
                + " demo-space/sa lists it; create it in namespace demo-space or remove it from the"
                + " ServiceAccount (KServe fails pod creation for this)");
  }

  @Test
  void secretsOfOtherNamespacesAreNeverRead() {
    String elsewhere = secret("", "").replace("namespace: demo-space", "namespace: other");
    assertThat(
            Fixtures.errors(
                RUNTIME, SA, elsewhere, Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa")))
        .singleElement()
        .asString()
        .contains("secrets \"creds\" not found");
  }

  @Test
  void aMissingServiceAccountGivesNoCredentialsAndAWarning() {
    PlanResult r = Fixtures.plan(RUNTIME, Fixtures.isvc("s3://b/m"));
    assertThat(r).isInstanceOf(PlanResult.Planned.class);
    assertThat(env(initContainer(((PlanResult.Planned) r).workload(), "storage-initializer")))
        .containsExactlyElementsOf(HF);
    assertThat(r.warnings())
        .containsExactly(
            "ServiceAccount demo-space/default not found: the storage-initializer gets no"
                + " credentials (KServe does the same)");
  }

  @Test
  void theStorageSecretNameAnnotationSelectsOneSecret() {
    String isvc =
        Fixtures.isvc(
            "s3://b/m", "serving.kserve.io/storageSecretName: creds", "serviceAccountName: sa");
    String saWithoutSecrets = SA.replace("secrets: [{name: creds}]", "secrets: [{name: gone}]");
    PlannedWorkload w = Fixtures.planned(RUNTIME, saWithoutSecrets, secret("", ""), isvc);
    assertThat(env(initContainer(w, "storage-initializer"))).startsWith(KEYS.get(0), KEYS.get(1));
  }

  static Stream<Arguments> otherSecrets() {
    return Stream.of(
        Arguments.of("HF_TOKEN: aGZfeA==", List.of("HF_TOKEN<-creds/HF_TOKEN")),
        Arguments.of(
            "https-host: ZXhhbXBsZS5jb20=, headers: e30=",
            List.of("example.com-headers<-creds/headers")),
        Arguments.of(
            "gcloud-application-credentials.json: e30=",
            List.of(
                "GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/gcloud-application-credentials.json")),
        Arguments.of("unrelated: eA==", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherSecrets")
  void otherSecretKindsAreReferencesOrVolumes(String data, List<String> expected) {
    String s =
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: demo-space}
        data: {%s}
        """
            .formatted(data);
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME, SA, s, Fixtures.isvc("hf://org/model", "", "serviceAccountName: sa"));
    List<String> env = env(initContainer(w, "storage-initializer"));
    assertThat(env.subList(0, env.size() - HF.size())).containsExactlyElementsOf(expected);
  }

  @Test
  void gcsCredentialsAreASecretVolume() {
    String s =
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: demo-space}
        data: {gcloud-application-credentials.json: e30=}
        """;
    PlannedWorkload w =
        Fixtures.planned(RUNTIME, SA, s, Fixtures.isvc("gs://b/m", "", "serviceAccountName: sa"));
    assertThat(Fixtures.pod(w).getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("user-gcp-sa");
              assertThat(v.getSecret().getSecretName()).isEqualTo("creds");
            });
    assertThat(initContainer(w, "storage-initializer").getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/secrets/"));
  }

  @Test
  void noSecretValueAppearsInTheRenderedWorkload() {
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME,
            SA,
            secret("", "S3_ENDPOINT: c2VjcmV0LWhvc3Q6OTAwMA=="),
            Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa"));
    String yaml = io.stowage.serving.manifest.ManifestWriter.document(w.deployment());
    assertThat(yaml).doesNotContain("value: SECRET", "AKID", "secret-host", "U0VDUkVU", "QUtJRA");
  }
}
