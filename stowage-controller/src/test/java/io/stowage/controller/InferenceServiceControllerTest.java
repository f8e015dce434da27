package io.stowage.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stowage.controller.crd.ClusterServingRuntimeResource;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.serving.api.ServingJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The controller on fabric8's mock API server (CRUD mode, generated CRDs): the reference document's
 * examples, updates, credential rotation, runtime changes, hand edits, deletion, invalid specs and
 * initializer failures, each observed as a user would, through the API.
 *
 * <p>The mock runs no Deployment controller and no garbage collector: tests write the status a
 * Deployment controller or kubelet would, and delete what the garbage collector would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceServiceControllerTest {
  static final String NS = "demo-space";
  static MockCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws IOException {
    cluster = MockCluster.start(MockCluster.settings(Set.of(NS)));
    client = cluster.client();
    Fixtures.createAll(client, "runtimes/aml-vllm-0.11.2-cpu.yaml");
    Fixtures.createAll(client, "s3/credentials.yaml");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
  }

  @Test
  @Order(1)
  void theReferenceExamplesBecomeTheirRenderedObjects() {
    for (String example : List.of("s3", "pvc", "oci")) {
      Fixtures.create(client, Fixtures.example(example + "/inferenceservice.yaml"));
    }
    for (String example : List.of("s3", "pvc", "oci")) {
      for (ObjectNode expected :
          Fixtures.documents(Fixtures.examples().resolve("rendered/" + example + ".yaml"))) {
        eventually()
            .untilAsserted(
                () -> {
                  HasMetadata live = live(expected);
                  assertThat(live).as(describe(expected)).isNotNull();
                  JsonNode tree = normalized(ServingJson.tree(live));
                  assertThat(tree.get("spec"))
                      .as(describe(expected))
                      .isEqualTo(normalized(expected).get("spec"));
                  assertThat(tree.path("metadata").get("labels"))
                      .isEqualTo(expected.path("metadata").get("labels"));
                  assertThat(tree.path("metadata").get("annotations"))
                      .isEqualTo(expected.path("metadata").get("annotations"));
                });
      }
    }
    InferenceServiceResource s3 = isvc("s3-demo");
    for (HasMetadata owned : List.of(deployment("s3-demo"), hpa("s3-demo"))) {
      OwnerReference owner = owned.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getUid()).isEqualTo(s3.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(owner.getKind()).isEqualTo("InferenceService");
    }
    eventually()
        .untilAsserted(
            () -> {
              JsonNode status = status("s3-demo");
              assertThat(status.at("/url").asText())
                  .isEqualTo("http://s3-demo-demo-space.example.com");
              assertThat(status.at("/address/url").asText())
                  .isEqualTo("http://s3-demo-predictor.demo-space.svc.cluster.local");
              assertThat(status.at("/observedGeneration").asLong()).isEqualTo(1L);
              assertThat(status.at("/deploymentMode").asText()).isEqualTo("Standard");
              assertThat(status.at("/clusterServingRuntimeName").asText())
                  .isEqualTo("aml-vllm-0.11.2-cpu");
              assertThat(condition(status, "PredictorReady").at("/status").asText())
                  .isEqualTo("Unknown");
              assertThat(status.at("/modelStatus/transitionStatus").asText())
                  .isEqualTo("InProgress");
              assertThat(status.at("/modelStatus/states/targetModelState").asText())
                  .isEqualTo("Pending");
            });
    eventually().untilAsserted(() -> assertThat(events("s3-demo", "Created")).hasSize(3));
  }

  @Test
  @Order(2)
  void theInferenceServiceIsReadyWhenItsDeploymentIsAvailable() {
    Deployment d = deployment("pvc-demo-1");
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(1L)
            .withReadyReplicas(1)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus("True")
                    .withReason("MinimumReplicasAvailable")
                    .withMessage("Deployment has minimum availability.")
                    .build())
            .build());
    client.resource(d).updateStatus();
    eventually()
        .untilAsserted(
            () -> {
              JsonNode status = status("pvc-demo-1");
              JsonNode ready = condition(status, "Ready");
              assertThat(ready.at("/status").asText()).isEqualTo("True");
              assertThat(ready.at("/reason").asText()).isEqualTo("MinimumReplicasAvailable");
              assertThat(status.at("/components/predictor/url").asText())
                  .isEqualTo("http://pvc-demo-1-predictor-demo-space.example.com");
              assertThat(status.at("/modelStatus/states/activeModelState").asText())
                  .isEqualTo("Loaded");
              assertThat(status.at("/modelStatus/transitionStatus").asText()).isEqualTo("UpToDate");
            });
  }

  @Test
  @Order(3)
  void aNewStorageUriAndNewArgsReachTheDeployment() {
    createIsvc("s3/inferenceservice.yaml", "upd");
    eventually().until(() -> deployment("upd") != null);
    editIsvc(
        "upd",
        model -> {
          model.put("storageUri", "s3://models/Qwen2.5-1.5B-Instruct");
          model.putArray("args").add("--max-model-len=4096");
        });
    eventually()
        .untilAsserted(
            () -> {
              Deployment d = deployment("upd");
              assertThat(d.getSpec().getTemplate().getSpec().getInitContainers().get(0).getArgs())
                  .containsExactly("s3://models/Qwen2.5-1.5B-Instruct", "/mnt/models");
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                  .containsExactly("--max-model-len=4096");
              assertThat(status("upd").at("/observedGeneration").asLong()).isEqualTo(2L);
            });
    eventually().untilAsserted(() -> assertThat(events("upd", "Updated")).isNotEmpty());
  }

  @Test
  @Order(4)
  void replicaChangesReachTheHpaAndAnHpaTheAutoscalerNoLongerWantsIsDeleted() {
    createIsvc("pvc/inferenceservice.yaml", "scale");
    eventually().until(() -> hpa("scale") != null);
    editIsvc("scale", model -> {}, predictor -> predictor.put("maxReplicas", 3));
    eventually()
        .untilAsserted(() -> assertThat(hpa("scale").getSpec().getMaxReplicas()).isEqualTo(3));
    editMetadata(
        "scale",
        meta ->
            ((ObjectNode) meta.get("annotations"))
                .put("serving.kserve.io/autoscalerClass", "none"));
    eventually()
        .untilAsserted(
            () -> {
              assertThat(hpa("scale")).isNull();
              assertThat(deployment("scale").getSpec().getReplicas()).isEqualTo(1);
            });
    eventually().untilAsserted(() -> assertThat(events("scale", "Deleted")).hasSize(1));
  }

  @Test
  @Order(5)
  void rotatedCredentialsReachTheInitContainer() {
    createIsvc("s3/inferenceservice.yaml", "rotate");
    eventually().until(() -> deployment("rotate") != null);
    Secret secret = client.secrets().inNamespace(NS).withName("minio-creds").get();
    Secret next =
        new io.fabric8.kubernetes.api.model.SecretBuilder(secret)
            .editMetadata()
            .withName("minio-creds-2")
            .withResourceVersion(null)
            .withUid(null)
            .addToAnnotations("serving.kserve.io/s3-endpoint", "minio-2.minio.svc:9000")
            .endMetadata()
            .build();
    client.resource(next).create();
    ServiceAccount sa = client.serviceAccounts().inNamespace(NS).withName("sa-models").get();
    sa.getSecrets().get(0).setName("minio-creds-2");
    client.resource(sa).update();
    eventually()
        .untilAsserted(
            () -> {
              var env =
                  deployment("rotate")
                      .getSpec()
                      .getTemplate()
                      .getSpec()
                      .getInitContainers()
                      .get(0)
                      .getEnv();
              assertThat(env.get(0).getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("minio-creds-2");
              assertThat(env)
                  .anySatisfy(
                      e -> {
                        assertThat(e.getName()).isEqualTo("AWS_ENDPOINT_URL");
                        assertThat(e.getValue()).isEqualTo("http://minio-2.minio.svc:9000");
                      });
            });
    // The same Secret's annotation changed in place is picked up too.
    Secret rotated = client.secrets().inNamespace(NS).withName("minio-creds-2").get();
    rotated.getMetadata().getAnnotations().put("serving.kserve.io/s3-endpoint", "minio-3:9000");
    client.resource(rotated).update();
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        deployment("rotate")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getInitContainers()
                            .get(0)
                            .getEnv())
                    .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("http://minio-3:9000")));
  }

  @Test
  @Order(5)
  void theSecretCacheHoldsNoSecretDataAndOnlyReferencedSecretsAreRead() {
    client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("unrelated-token")
                .withNamespace(NS)
                .endMetadata()
                .addToStringData("token", "n0t-for-the-controller")
                .build())
        .create();
    createIsvc("s3/inferenceservice.yaml", "cache");
    eventually().until(() -> deployment("cache") != null);
    var watches = cluster.controller().watches();
    eventually()
        .untilAsserted(
            () ->
                assertThat(watches.secrets().list(NS).map(x -> x.getMetadata().getName()))
                    .contains("unrelated-token", "minio-creds"));
    assertThat(watches.secrets().list(NS).toList())
        .allSatisfy(
            cached -> {
              assertThat(cached.getData()).as(cached.getMetadata().getName()).isNullOrEmpty();
              assertThat(cached.getStringData()).as(cached.getMetadata().getName()).isNullOrEmpty();
            });
    assertThat(watches.referencedSecrets().held()).isPositive();
    assertThat(cluster.controllerCalls())
        .noneMatch(c -> c.method().equals("GET") && c.path().contains("/secrets/unrelated-token"))
        .anyMatch(c -> c.method().equals("GET") && c.path().contains("/secrets/minio-creds"));
  }

  @Test
  @Order(6)
  void aRuntimeChangeIsFollowed() {
    ClusterServingRuntimeResource copy =
        (ClusterServingRuntimeResource)
            Fixtures.typed(Fixtures.example("runtimes/aml-vllm-0.11.2-cpu.yaml"));
    copy.getMetadata().setName("vllm-next");
    client.resource(copy).create();
    createIsvc("pvc/inferenceservice.yaml", "switch");
    eventually().until(() -> deployment("switch") != null);
    editIsvc("switch", model -> model.put("runtime", "vllm-next"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(status("switch").at("/clusterServingRuntimeName").asText())
                    .isEqualTo("vllm-next"));
    ClusterServingRuntimeResource runtime =
        client.resources(ClusterServingRuntimeResource.class).withName("vllm-next").get();
    ObjectNode spec = (ObjectNode) ServingJson.tree(runtime.getSpec());
    ((ObjectNode) spec.get("containers").get(0))
        .put("image", "docker.io/vllm/vllm-openai-cpu:v0.12.0");
    runtime.setSpec(ServingJson.fromTree(spec, io.stowage.serving.api.ServingRuntimeSpec.class));
    client.resource(runtime).update();
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        deployment("switch")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("docker.io/vllm/vllm-openai-cpu:v0.12.0"));
  }

  @Test
  @Order(7)
  void handEditsAreRevertedAndDeletedObjectsRecreated() {
    createIsvc("oci/inferenceservice.yaml", "edited");
    eventually().until(() -> deployment("edited") != null);
    Deployment d = deployment("edited");
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/hacked:1");
    d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().clear();
    client.resource(d).update();
    client.services().inNamespace(NS).withName("edited-predictor").delete();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(
                      deployment("edited")
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getImage())
                  .isEqualTo("docker.io/vllm/vllm-openai-cpu:v0.11.2");
              assertThat(client.services().inNamespace(NS).withName("edited-predictor").get())
                  .isNotNull();
            });
    eventually().untilAsserted(() -> assertThat(events("edited", "Reverted")).hasSize(1));
  }

  @Test
  @Order(8)
  void anInvalidInferenceServiceGetsAConditionAndAnEventAndNoObjects() {
    ObjectNode doc = Fixtures.example("s3/inferenceservice.yaml");
    ((ObjectNode) doc.get("metadata")).put("name", "broken");
    ObjectNode model = (ObjectNode) doc.path("spec").path("predictor").path("model");
    model.put("runtime", "no-such-runtime");
    ((ObjectNode) doc.path("spec").path("predictor")).put("minReplicas", -1);
    Fixtures.create(client, doc);
    eventually()
        .untilAsserted(
            () -> {
              JsonNode status = status("broken");
              JsonNode ready = condition(status, "Ready");
              assertThat(ready.at("/status").asText()).isEqualTo("False");
              assertThat(ready.at("/reason").asText()).isEqualTo("InvalidSpec");
              assertThat(ready.at("/message").asText())
                  .contains(
                      "No ServingRuntimes or ClusterServingRuntimes with the name: no-such-runtime")
                  .contains("'MinReplicas' cannot be less than 0");
              assertThat(status.at("/modelStatus/transitionStatus").asText())
                  .isEqualTo("InvalidSpec");
              assertThat(status.at("/modelStatus/lastFailureInfo/reason").asText())
                  .isEqualTo("RuntimeNotRecognized");
              assertThat(events("broken", "InvalidSpec")).hasSize(1);
            });
    assertThat(deployment("broken")).isNull();
    assertThat(client.services().inNamespace(NS).withName("broken-predictor").get()).isNull();
    // Fixing the spec is all it takes; no retry storm happened meanwhile.
    editIsvc("broken", m -> m.put("runtime", "aml-vllm-0.11.2-cpu"), p -> p.put("minReplicas", 1));
    eventually().until(() -> deployment("broken") != null);
  }

  @Test
  @Order(9)
  void anInitializerFailureBecomesLastFailureInfo() {
    createIsvc("s3/inferenceservice.yaml", "failing");
    eventually().until(() -> deployment("failing") != null);
    Pod pod =
        client
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("failing-predictor-abc12")
                    .withNamespace(NS)
                    .withCreationTimestamp("2026-01-01T00:00:00Z")
                    .addToLabels("app", "isvc.failing-predictor")
                    .addToLabels("serving.kserve.io/inferenceservice", "failing")
                    .addToLabels("component", "predictor")
                    .endMetadata()
                    .withSpec(deployment("failing").getSpec().getTemplate().getSpec())
                    .build())
            .create();
    pod.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Pending")
            .withInitContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("storage-initializer")
                    .withState(
                        new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(3)
                            .withReason("Error")
                            .withMessage(
                                "Access denied to s3://models/Qwen2.5-0.5B-Instruct: check"
                                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY of Secret"
                                    + " minio-creds")
                            .endTerminated()
                            .build())
                    .build())
            .build());
    client.resource(pod).updateStatus();
    eventually()
        .untilAsserted(
            () -> {
              JsonNode model = status("failing").path("modelStatus");
              assertThat(model.at("/transitionStatus").asText()).isEqualTo("BlockedByFailedLoad");
              assertThat(model.at("/states/targetModelState").asText()).isEqualTo("FailedToLoad");
              assertThat(model.at("/lastFailureInfo/reason").asText()).isEqualTo("ModelLoadFailed");
              assertThat(model.at("/lastFailureInfo/exitCode").asInt()).isEqualTo(3);
              assertThat(model.at("/lastFailureInfo/message").asText())
                  .startsWith("Access denied to s3://models/Qwen2.5-0.5B-Instruct");
              assertThat(events("failing", "ModelLoadFailed")).hasSize(1);
            });
  }

  @Test
  @Order(9)
  void whatTheInitializerDeployedIsInTheModelStatus() {
    createIsvc("s3/inferenceservice.yaml", "deployed");
    eventually().until(() -> deployment("deployed") != null);
    String summary =
        "{\"deployed\":[{\"source\":\"s3://models/Qwen2.5-0.5B-Instruct\",\"files\":12,"
            + "\"bytes\":988097824,\"manifestDigest\":\"sha256:"
            + "0".repeat(64)
            + "\"}]}";
    podWithInitializer("deployed", "deployed-predictor-abc12", 0, summary);
    eventually()
        .untilAsserted(
            () -> {
              JsonNode deployed = status("deployed").at("/modelStatus/deployed/0");
              assertThat(deployed.at("/source").asText())
                  .isEqualTo("s3://models/Qwen2.5-0.5B-Instruct");
              assertThat(deployed.at("/files").asInt()).isEqualTo(12);
              assertThat(deployed.at("/bytes").asLong()).isEqualTo(988097824L);
              assertThat(deployed.at("/manifestDigest").asText())
                  .isEqualTo("sha256:" + "0".repeat(64));
            });
  }

  @Test
  @Order(9)
  void aPermanentInitializerFailureScalesToZeroUntilARetry() {
    createIsvc("s3/inferenceservice.yaml", "denied");
    eventually().until(() -> deployment("denied") != null);
    String revision =
        deployment("denied")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("storage.stowage.io/revision");
    assertThat(revision).matches("[0-9a-f]{16}");
    podWithInitializer(
        "denied",
        "denied-predictor-abc12",
        3,
        "Access denied to s3://models/Qwen2.5-0.5B-Instruct");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(deployment("denied").getSpec().getReplicas()).isZero();
              JsonNode status = status("denied");
              JsonNode ready = condition(status, "Ready");
              assertThat(ready.at("/status").asText()).isEqualTo("False");
              assertThat(ready.at("/reason").asText()).isEqualTo("ModelLoadFailed");
              assertThat(ready.at("/message").asText())
                  .startsWith("storage-initializer failed permanently (exit code 3): Access denied")
                  .contains("storage.stowage.io/retry");
              JsonNode failure = status.at("/modelStatus/lastFailureInfo");
              assertThat(failure.at("/exitCode").asInt()).isEqualTo(3);
              assertThat(failure.at("/modelRevisionName").asText()).isEqualTo(revision);
              assertThat(events("denied", "InitializerFailedPermanently")).hasSize(1);
            });
    // The failed pod is gone with the scale-down; the stop holds on the status alone.
    client.pods().inNamespace(NS).withName("denied-predictor-abc12").delete();
    editMetadata(
        "denied", m -> ((ObjectNode) m.path("annotations")).put("storage.stowage.io/retry", "1"));
    eventually()
        .untilAsserted(
            () -> {
              Deployment d = deployment("denied");
              assertThat(d.getSpec().getReplicas()).isEqualTo(1);
              assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                  .doesNotContainEntry("storage.stowage.io/revision", revision);
            });
  }

  @Test
  @Order(9)
  void aNetworkFailureKeepsRestarting() {
    createIsvc("s3/inferenceservice.yaml", "flaky");
    eventually().until(() -> deployment("flaky") != null);
    podWithInitializer("flaky", "flaky-predictor-abc12", 5, "Cannot reach minio: timed out");
    eventually()
        .untilAsserted(
            () ->
                assertThat(status("flaky").at("/modelStatus/lastFailureInfo/exitCode").asInt())
                    .isEqualTo(5));
    assertThat(java.util.Objects.requireNonNullElse(deployment("flaky").getSpec().getReplicas(), 1))
        .isNotZero();
    assertThat(events("flaky", "InitializerFailedPermanently")).isEmpty();
  }

  /** A pod of {@code isvc}'s Deployment whose storage-initializer terminated as given. */
  static void podWithInitializer(String isvc, String podName, int exitCode, String message) {
    Pod pod =
        client
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(podName)
                    .withNamespace(NS)
                    .withCreationTimestamp("2026-01-01T00:00:00Z")
                    .addToLabels("app", "isvc." + isvc + "-predictor")
                    .addToLabels("serving.kserve.io/inferenceservice", isvc)
                    .addToLabels("component", "predictor")
                    .withAnnotations(
                        deployment(isvc).getSpec().getTemplate().getMetadata().getAnnotations())
                    .endMetadata()
                    .withSpec(deployment(isvc).getSpec().getTemplate().getSpec())
                    .build())
            .create();
    pod.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase(exitCode == 0 ? "Running" : "Pending")
            .withInitContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("storage-initializer")
                    .withState(
                        new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(exitCode)
                            .withReason(exitCode == 0 ? "Completed" : "Error")
                            .withMessage(message)
                            .endTerminated()
                            .build())
                    .build())
            .build());
    client.resource(pod).updateStatus();
  }

  @Test
  @Order(10)
  void otherDeploymentModesAreLeftAloneWithACondition() {
    ObjectNode doc = Fixtures.example("pvc/inferenceservice.yaml");
    ((ObjectNode) doc.get("metadata")).put("name", "knative");
    ((ObjectNode) doc.path("metadata").path("annotations"))
        .put("serving.kserve.io/deploymentMode", "Serverless");
    Fixtures.create(client, doc);
    eventually()
        .untilAsserted(
            () -> {
              JsonNode status = status("knative");
              JsonNode managed = condition(status, "StowageManaged");
              assertThat(managed.at("/status").asText()).isEqualTo("False");
              assertThat(managed.at("/reason").asText()).isEqualTo("UnsupportedDeploymentMode");
              assertThat(condition(status, "Ready").isMissingNode()).isTrue();
            });
    assertThat(deployment("knative")).isNull();
  }

  @Test
  @Order(11)
  void theConfigMapAndStorageContainersReplanEveryInferenceService() {
    client
        .resource(
            Serialization.unmarshal(
                readDeploy("config/inferenceservice-config.yaml"),
                io.fabric8.kubernetes.api.model.ConfigMap.class))
        .create();
    Fixtures.create(
        client,
        Fixtures.documents(Fixtures.deploy().resolve("storage/default-storage-container.yaml"))
            .get(0));
    eventually()
        .untilAsserted(
            () -> {
              var init =
                  deployment("s3-demo")
                      .getSpec()
                      .getTemplate()
                      .getSpec()
                      .getInitContainers()
                      .get(0);
              assertThat(init.getImage()).isEqualTo("stowage/stowage-initializer:0.1.0");
              // The image's entrypoint is `stowage initialize`, as KServe's initializer's is.
              assertThat(init.getCommand()).isNullOrEmpty();
              assertThat(init.getArgs())
                  .containsExactly("s3://models/Qwen2.5-0.5B-Instruct", "/mnt/models");
            });
    var config =
        client.configMaps().inNamespace("stowage-system").withName("inferenceservice-config").get();
    config.getData().put("ingress", "{\"ingressDomain\": \"models.example.org\"}");
    client.resource(config).update();
    eventually()
        .untilAsserted(
            () ->
                assertThat(status("s3-demo").at("/url").asText())
                    .isEqualTo("http://s3-demo-demo-space.models.example.org"));
  }

  @Test
  @Order(12)
  void deletedInferenceServicesLeaveNothingBehindAndAreNotRecreated() {
    createIsvc("pvc/inferenceservice.yaml", "gone");
    eventually().until(() -> hpa("gone") != null);
    client.resources(InferenceServiceResource.class).inNamespace(NS).withName("gone").delete();
    eventually().until(() -> isvc("gone") == null);
    collectGarbage();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> deployment("gone") == null && hpa("gone") == null);
  }

  @Test
  @Order(13)
  void healthReadinessAndMetricsAreServed() throws Exception {
    int port = cluster.controller().httpPort();
    HttpClient http = HttpClient.newHttpClient();
    assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(http, port, "/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get(http, port, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("stowage_reconcile_outcomes_total{outcome=\"applied\"}")
        .contains("stowage_plan_duration_seconds_count")
        .contains("reconciliations_execution_duration_seconds")
        .contains("reconciliations_started_total")
        .contains("jvm_memory_used_bytes{area=\"heap\"")
        .contains("reconciliations_success_total");
  }

  @Test
  @Order(13)
  void theGlobalCaBundleIsCopiedWhereAPlanMountsItAndItsAbsenceReported() throws Exception {
    var config =
        client.configMaps().inNamespace("stowage-system").withName("inferenceservice-config").get();
    if (config == null) {
      config =
          client
              .resource(
                  Serialization.unmarshal(
                      readDeploy("config/inferenceservice-config.yaml"),
                      io.fabric8.kubernetes.api.model.ConfigMap.class))
              .create();
    }
    String original = config.getData().get("storageInitializer");
    ObjectNode initializer = (ObjectNode) ServingJson.mapper().readTree(original);
    initializer.put("caBundleConfigMapName", "custom-ca");
    config.getData().put("storageInitializer", initializer.toString());
    client.resource(config).update();
    try {
      createIsvc("s3/inferenceservice.yaml", "ca");
      eventually()
          .untilAsserted(
              () -> {
                JsonNode predictor = condition(status("ca"), "PredictorReady");
                assertThat(predictor.path("reason").asText()).isEqualTo("CaBundleMissing");
                assertThat(predictor.path("message").asText())
                    .startsWith("ConfigMap stowage-system/custom-ca (caBundleConfigMapName of")
                    .contains("does not exist");
                assertThat(events("ca", "CaBundleMissing")).isNotEmpty();
              });
      assertThat(deployment("ca")).isNull();

      client
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("custom-ca")
                  .withNamespace("stowage-system")
                  .endMetadata()
                  .addToData("cabundle.crt", "-----BEGIN CERTIFICATE-----\nA\n")
                  .build())
          .create();
      eventually()
          .untilAsserted(
              () -> {
                var copy = client.configMaps().inNamespace(NS).withName("global-ca-bundle").get();
                assertThat(copy).isNotNull();
                assertThat(copy.getData())
                    .containsExactly(
                        java.util.Map.entry("cabundle.crt", "-----BEGIN CERTIFICATE-----\nA\n"));
                assertThat(deployment("ca")).isNotNull();
              });
      assertThat(deployment("ca").getSpec().getTemplate().getSpec().getVolumes())
          .anySatisfy(
              v -> {
                assertThat(v.getName()).isEqualTo("cabundle-cert");
                assertThat(v.getConfigMap().getName()).isEqualTo("global-ca-bundle");
              });

      var source = client.configMaps().inNamespace("stowage-system").withName("custom-ca").get();
      source.getData().put("cabundle.crt", "-----BEGIN CERTIFICATE-----\nB\n");
      client.resource(source).update();
      eventually()
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .configMaps()
                              .inNamespace(NS)
                              .withName("global-ca-bundle")
                              .get()
                              .getData()
                              .get("cabundle.crt"))
                      .isEqualTo("-----BEGIN CERTIFICATE-----\nB\n"));
    } finally {
      var restored =
          client
              .configMaps()
              .inNamespace("stowage-system")
              .withName("inferenceservice-config")
              .get();
      restored.getData().put("storageInitializer", original);
      client.resource(restored).update();
    }
  }

  @Test
  @Order(100)
  void everyApiCallTheControllerMadeIsAllowedByTheRbacManifests() throws IOException {
    RbacCheck.Report report =
        new RbacCheck(Fixtures.deploy(), "stowage-system", "stowage-controller", Set.of(NS))
            .check(cluster.controllerCalls());
    System.out.println(report.table());
    assertThat(report.denied()).as(report.table()).isEmpty();
    assertThat(report.allowed()).isNotEmpty();
  }

  // --- helpers ---

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String readDeploy(String relative) {
    try {
      return java.nio.file.Files.readString(Fixtures.deploy().resolve(relative));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HasMetadata live(ObjectNode expected) {
    String name = expected.path("metadata").path("name").asText();
    return switch (expected.path("kind").asText()) {
      case "Deployment" -> client.apps().deployments().inNamespace(NS).withName(name).get();
      case "Service" -> client.services().inNamespace(NS).withName(name).get();
      case "HorizontalPodAutoscaler" ->
          client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(name).get();
      default -> throw new IllegalArgumentException(expected.path("kind").asText());
    };
  }

  /** Numbers as JSON text reads them (YAML gives ints where fabric8 holds longs). */
  private static JsonNode normalized(JsonNode node) {
    try {
      return ServingJson.mapper().readTree(node.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String describe(ObjectNode doc) {
    return doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
  }

  static InferenceServiceResource isvc(String name) {
    return client.resources(InferenceServiceResource.class).inNamespace(NS).withName(name).get();
  }

  /** The status as JSON, missing nodes where nothing is reported. */
  static JsonNode status(String name) {
    return ServingJson.tree(isvc(name)).path("status");
  }

  static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static Deployment deployment(String isvc) {
    return client.apps().deployments().inNamespace(NS).withName(isvc + "-predictor").get();
  }

  static HorizontalPodAutoscaler hpa(String isvc) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(NS)
        .withName(isvc + "-predictor")
        .get();
  }

  static List<Event> events(String isvc, String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> isvc.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  static void createIsvc(String example, String name) {
    ObjectNode doc = Fixtures.example(example);
    ((ObjectNode) doc.get("metadata")).put("name", name);
    Fixtures.create(client, doc);
  }

  static void editIsvc(String name, Consumer<ObjectNode> model) {
    editIsvc(name, model, p -> {});
  }

  static void editIsvc(String name, Consumer<ObjectNode> model, Consumer<ObjectNode> predictor) {
    edit(
        name,
        tree -> {
          ObjectNode p = (ObjectNode) tree.path("spec").path("predictor");
          predictor.accept(p);
          model.accept((ObjectNode) p.path("model"));
        });
  }

  static void editMetadata(String name, Consumer<ObjectNode> meta) {
    edit(name, tree -> meta.accept((ObjectNode) tree.get("metadata")));
  }

  private static void edit(String name, Consumer<ObjectNode> change) {
    eventually()
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ObjectNode tree = (ObjectNode) ServingJson.tree(isvc(name));
              tree.remove("status");
              change.accept(tree);
              client.resource(Fixtures.typed(tree)).update();
            });
  }

  /** What Kubernetes' garbage collector does: delete objects whose controller owner is gone. */
  private static void collectGarbage() {
    Set<String> uids =
        client.resources(InferenceServiceResource.class).inAnyNamespace().list().getItems().stream()
            .map(i -> i.getMetadata().getUid())
            .collect(java.util.stream.Collectors.toSet());
    List<HasMetadata> owned = new java.util.ArrayList<>();
    owned.addAll(client.apps().deployments().inNamespace(NS).list().getItems());
    owned.addAll(client.services().inNamespace(NS).list().getItems());
    owned.addAll(
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).list().getItems());
    for (HasMetadata o : owned) {
      boolean orphan =
          Objects.requireNonNullElse(
                  o.getMetadata().getOwnerReferences(), List.<OwnerReference>of())
              .stream()
              .anyMatch(r -> !uids.contains(r.getUid()));
      if (orphan) {
        client.resource(o).delete();
      }
    }
  }
}
