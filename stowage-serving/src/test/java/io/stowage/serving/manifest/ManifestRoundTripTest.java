package io.stowage.serving.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stowage.serving.Fixtures;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.config.ConfigException;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading manifests keeps what the planner does not know; writing keeps every value's type. */
class ManifestRoundTripTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void unknownFieldsOfAnInferenceServiceSurviveARoundTrip() throws Exception {
    String text =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: m, namespace: ns}
        futureTopLevel: {a: 1}
        spec:
          futureSpec: true
          predictor:
            futurePredictor: [1, 2]
            serviceAccountName: sa
            model:
              futureModel: {x: null}
              modelFormat: {name: transformers, futureFormat: 1}
              storageUri: s3://b/m
              resources: {limits: {cpu: "2"}}
            storageUris: [{uri: "s3://b/a", mountPath: /mnt/a, futureEntry: x}]
        status: {url: http://m}
        """;
    InferenceService isvc =
        new ManifestReader("default").read("t", text).inferenceServices().get(0);
    JsonNode original = YAML.readTree(text);
    assertThat(ServingJson.tree(isvc)).isEqualTo(original);
  }

  @Test
  void unknownFieldsOfARuntimeSurviveARoundTrip() throws Exception {
    String text = Fixtures.RUNTIME + "  builtInAdapter: {serverType: x}\n";
    ServingRuntime runtime = new ManifestReader("default").read("t", text).runtimes().get(0);
    assertThat(ServingJson.tree(runtime)).isEqualTo(YAML.readTree(text));
  }

  @Test
  void renderedYamlReadsBackToTheSameObjects() throws Exception {
    PlannedWorkload w =
        Fixtures.planned(
            Fixtures.RUNTIME,
            Fixtures.isvc(
                "s3://b/m",
                """
                storage.kserve.io/readonly: 'false'
                numeric: '0123'
                flag: 'true'
                nothing: 'null'
                """,
                ""));
    for (var object : w.objects()) {
      String yaml = ManifestWriter.document(object);
      assertThat(YAML.readTree(yaml)).isEqualTo(ServingJson.tree(object));
    }
  }

  @Test
  void badYamlNamesTheDocument() {
    assertThatThrownBy(() -> new ManifestReader("default").read("f.yaml", "a: 1\n---\n: : :\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("f.yaml: document ");
  }

  @Test
  void aWrongTypeNamesTheObject() {
    assertThatThrownBy(
            () ->
                new ManifestReader("default")
                    .read(
                        "f.yaml",
                        """
                        apiVersion: serving.kserve.io/v1beta1
                        kind: InferenceService
                        metadata: {name: m}
                        spec: {predictor: {minReplicas: many}}
                        """))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("f.yaml: document 1 (InferenceService m): ");
  }

  @Test
  void aFreshInstallConfigIsTheDefaultAndSectionsOverrideIt() throws ConfigException {
    InferenceServiceConfig empty = InferenceServiceConfig.fromConfigMapData(Map.of());
    assertThat(empty).isEqualTo(InferenceServiceConfig.FRESH_INSTALL);
    assertThat(empty.credentials().s3().accessKeyIdName()).isEqualTo("AWS_ACCESS_KEY_ID");
    assertThat(empty.storageInitializer().uidModelcar()).isEqualTo(1010L);
    InferenceServiceConfig alauda =
        InferenceServiceConfig.fromConfigMapData(
            Map.of(
                "storageInitializer", "{\"uidModelcar\": 1000, \"image\": \"\"}",
                "deploy", "{\"defaultDeploymentMode\": \"RawDeployment\"}"));
    assertThat(alauda.storageInitializer().uidModelcar()).isEqualTo(1000L);
    assertThat(alauda.storageInitializer().image()).isEqualTo("kserve/storage-initializer:latest");
    assertThat(alauda.defaultDeploymentMode().label()).isEqualTo("Standard");
  }

  @Test
  void anUnusableConfigNamesEveryBadKey() {
    assertThatThrownBy(
            () ->
                InferenceServiceConfig.fromConfigMapData(
                    Map.of(
                        "ingress", "{not json",
                        "storageInitializer", "{\"cpuLimit\": \"lots\"}",
                        "deploy", "{\"defaultDeploymentMode\": \"Fast\"}")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(3)
                    .anyMatch(p -> p.startsWith("ConfigMap inferenceservice-config key ingress:"))
                    .contains(
                        "failed to parse resource configuration for \"storageInitializer\"."
                            + " \"cpuLimit\": lots is not a Kubernetes quantity",
                        "deploy.defaultDeploymentMode: invalid deployment mode. Supported modes are"
                            + " Knative, Standard and ModelMesh (got \"Fast\")"));
  }
}
