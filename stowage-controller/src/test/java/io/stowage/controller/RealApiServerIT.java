package io.stowage.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.serving.api.ServingJson;
import io.stowage.testkit.KubeBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The controller against a real kube-apiserver, etcd and kube-controller-manager (built by {@code
 * e2e/k8s/build.sh}), with server-side apply as in production. What fabric8's mock cannot show: the
 * server's schema validation of deploy/'s CRDs, kubectl applying the reference examples unchanged,
 * server-side apply and its field ownership, the status subresource, Deployments becoming
 * ReplicaSets and (Pending: there is no node) Pods, the HPA controller owning {@code replicas}, the
 * garbage collector deleting what an InferenceService owned, and (with {@link KubeletStandIn}
 * writing the Pod statuses a kubelet would) readiness, the deployed summary and the initializer's
 * failures read from real Pods' {@code initContainerStatuses}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealApiServerIT {
  static final String NS = "demo-space";
  static final List<String> EXAMPLES = List.of("s3", "pvc", "oci");
  static RealCluster cluster;
  static KubernetesClient client;
  static KubeletStandIn kubelet;

  @BeforeAll
  static void start() throws IOException {
    Optional<KubeBinaries> binaries = KubeBinaries.needed();
    assumeTrue(binaries.isPresent(), "no Kubernetes binaries: run e2e/k8s/build.sh");
    Path dir = Path.of("target", "real-cluster", RealApiServerIT.class.getSimpleName());
    cluster = RealCluster.start(binaries.get(), dir, Set.of(NS));
    client = cluster.client();
    kubelet = new KubeletStandIn(client);
    cluster.kubectl(
        "apply",
        "-f",
        Fixtures.examples().resolve("runtimes/aml-vllm-0.11.2-cpu.yaml").toString(),
        "-f",
        Fixtures.examples().resolve("s3/credentials.yaml").toString());
    // With exactly deploy/'s rights: the server refuses anything the manifests do not grant.
    cluster.startController(RealCluster.settings(Set.of(NS)), cluster.deployRbacToken(Set.of(NS)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static ConditionFactory eventually() {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions();
  }

  @Test
  @Order(1)
  void theReferenceExamplesApplyUnchangedAndBecomeTheirRenderedObjects() {
    for (String example : EXAMPLES) {
      cluster.kubectl(
          "apply",
          "-f",
          Fixtures.examples().resolve(example + "/inferenceservice.yaml").toString());
    }
    for (String example : EXAMPLES) {
      for (ObjectNode expected :
          Fixtures.documents(Fixtures.examples().resolve("rendered/" + example + ".yaml"))) {
        eventually()
            .untilAsserted(
                () -> {
                  HasMetadata live = live(expected);
                  assertThat(live).as(describe(expected)).isNotNull();
                  JsonNode tree = normalized(ServingJson.tree(live));
                  // The server adds defaults (protocol, termination path, ...): what the rendered
                  // document says must be there, as it says it.
                  assertContains(tree.get("spec"), normalized(expected).get("spec"), "spec");
                  assertContains(
                      tree.path("metadata").path("labels"),
                      expected.path("metadata").path("labels"),
                      "labels");
                });
      }
    }
    for (String example : EXAMPLES) {
      InferenceServiceResource isvc = isvc(name(example));
      for (HasMetadata owned :
          List.of(deployment(name(example)), service(name(example)), hpa(name(example)))) {
        OwnerReference owner = owned.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getUid()).isEqualTo(isvc.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        assertThat(owner.getBlockOwnerDeletion()).isTrue();
      }
    }
  }

  @Test
  @Order(2)
  void everyObjectIsWrittenByServerSideApplyAsFieldManagerStowageController() {
    for (String example : EXAMPLES) {
      for (HasMetadata owned :
          List.of(deployment(name(example)), service(name(example)), hpa(name(example)))) {
        List<ManagedFieldsEntry> mine = managedBy(owned, ControllerSettings.FIELD_MANAGER);
        assertThat(mine)
            .as("%s %s", owned.getKind(), owned.getMetadata().getName())
            .isNotEmpty()
            .allSatisfy(e -> assertThat(e.getOperation()).isEqualTo("Apply"));
      }
    }
  }

  @Test
  @Order(3)
  void theStatusIsWrittenThroughTheStatusSubresource() {
    eventually()
        .untilAsserted(
            () -> {
              InferenceServiceResource isvc = isvc("s3-demo");
              JsonNode status = ServingJson.tree(isvc).path("status");
              assertThat(status.at("/url").asText())
                  .isEqualTo("http://s3-demo-demo-space.example.com");
              assertThat(status.at("/address/url").asText())
                  .isEqualTo("http://s3-demo-predictor.demo-space.svc.cluster.local");
              assertThat(status.at("/observedGeneration").asLong()).isEqualTo(1L);
              // No node: the Pod stays Pending and the predictor is not ready.
              assertThat(condition(status, "PredictorReady").at("/status").asText())
                  .isNotEqualTo("True");
              List<ManagedFieldsEntry> mine = managedBy(isvc, ControllerSettings.FIELD_MANAGER);
              assertThat(mine)
                  .anySatisfy(
                      e -> {
                        assertThat(e.getSubresource()).isEqualTo("status");
                        assertThat(e.getOperation()).isEqualTo("Apply");
                      });
              // The user's spec is the user's: the controller never wrote it.
              assertThat(mine)
                  .allSatisfy(
                      e -> assertThat(ServingJson.tree(e.getFieldsV1()).has("f:spec")).isFalse());
            });
  }

  @Test
  @Order(4)
  void deploymentsBecomeReplicaSetsAndPendingPodsThroughTheControllerManager() {
    eventually()
        .untilAsserted(
            () -> {
              Deployment deployment = deployment("s3-demo");
              List<ReplicaSet> sets =
                  client.apps().replicaSets().inNamespace(NS).list().getItems().stream()
                      .filter(rs -> ownedBy(rs, deployment))
                      .toList();
              assertThat(sets).hasSize(1);
              List<Pod> pods =
                  client.pods().inNamespace(NS).list().getItems().stream()
                      .filter(p -> ownedBy(p, sets.get(0)))
                      .toList();
              assertThat(pods).hasSize(1);
              assertThat(pods.get(0).getStatus().getPhase()).isEqualTo("Pending");
              // The initializer the controller put into the pod template reached the Pod.
              assertThat(pods.get(0).getSpec().getInitContainers())
                  .extracting(c -> c.getName())
                  .contains("storage-initializer");
            });
  }

  @Test
  @Order(5)
  void theAutoscalerOwnsReplicasAndTheServerOwnsTheClusterIp() {
    String clusterIp = service("s3-demo").getSpec().getClusterIP();
    assertThat(clusterIp).startsWith("10.0.");
    // minReplicas 2: the real HPA controller scales the Deployment to 2 (below its minimum it
    // needs no metrics). The controller's next applies must leave that number alone.
    cluster.kubectl(
        "patch",
        "inferenceservice",
        "s3-demo",
        "-n",
        NS,
        "--type=merge",
        "-p",
        "{\"spec\":{\"predictor\":{\"minReplicas\":2,\"maxReplicas\":3}}}");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(hpa("s3-demo").getSpec().getMinReplicas()).isEqualTo(2);
              assertThat(deployment("s3-demo").getSpec().getReplicas()).isEqualTo(2);
            });
    // A change of plan input (an annotation the Deployment carries) makes the controller apply
    // the Deployment and the Service again.
    cluster.kubectl(
        "annotate",
        "inferenceservice",
        "s3-demo",
        "-n",
        NS,
        "--overwrite",
        "aml-model-repo=Qwen2.5");
    eventually()
        .untilAsserted(
            () ->
                assertThat(deployment("s3-demo").getMetadata().getAnnotations())
                    .containsEntry("aml-model-repo", "Qwen2.5"));
    Deployment d = deployment("s3-demo");
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(
            fieldsOf(d, ControllerSettings.FIELD_MANAGER).at("/f:spec/f:replicas").isMissingNode())
        .isTrue();
    Service s = service("s3-demo");
    assertThat(s.getSpec().getClusterIP()).isEqualTo(clusterIp);
    assertThat(
            fieldsOf(s, ControllerSettings.FIELD_MANAGER).at("/f:spec/f:clusterIP").isMissingNode())
        .isTrue();
  }

  @Test
  @Order(6)
  void anInferenceServiceTheSchemaRejectsIsRejectedByTheServer() throws IOException {
    ObjectNode doc = Fixtures.example("s3/inferenceservice.yaml");
    ((ObjectNode) doc.get("metadata")).put("name", "not-a-number");
    ((ObjectNode) doc.at("/spec/predictor")).put("minReplicas", "one");
    Path file = cluster.plane().dir().resolve("invalid-isvc.json");
    Files.writeString(file, doc.toString(), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> cluster.kubectl("apply", "-f", file.toString()))
        .hasMessageContaining("spec.predictor.minReplicas");
    assertThat(isvcOrNull("not-a-number")).isNull();
  }

  @Test
  @Order(7)
  void deletingAnInferenceServiceLetsTheGarbageCollectorDeleteWhatItOwned() {
    Deployment deployment = deployment("pvc-demo-1");
    assertThat(deployment).isNotNull();
    cluster.kubectl("delete", "inferenceservice", "pvc-demo-1", "-n", NS, "--wait=true");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(deployment("pvc-demo-1")).isNull();
              assertThat(service("pvc-demo-1")).isNull();
              assertThat(hpa("pvc-demo-1")).isNull();
              assertThat(
                      client.apps().replicaSets().inNamespace(NS).list().getItems().stream()
                          .filter(rs -> ownedBy(rs, deployment)))
                  .isEmpty();
            });
    // And the controller does not bring them back.
    assertThat(isvcOrNull("pvc-demo-1")).isNull();
    assertThat(deployment("s3-demo")).isNotNull();
  }

  @Test
  @Order(8)
  void aHandEditIsTakenBackAndAnotherAppliersChangeConflictsWithStowage() throws IOException {
    String image = container(deployment("s3-demo")).getImage();
    // kubectl set image is an update: the server moves the field to kubectl, the controller
    // sees its plan no longer in the object and applies it again with force.
    cluster.kubectl(
        "set", "image", "-n", NS, "deployment/s3-demo-predictor", "kserve-container=intruder:1");
    eventually()
        .untilAsserted(
            () -> assertThat(container(deployment("s3-demo")).getImage()).isEqualTo(image));
    // Another server-side applier may not take a field stowage-controller owns without force.
    Path intruder = cluster.plane().dir().resolve("intruder.yaml");
    Files.writeString(
        intruder,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: s3-demo-predictor
          namespace: %s
        spec:
          template:
            spec:
              containers:
              - name: kserve-container
                image: intruder:2
        """
            .formatted(NS),
        StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                cluster.kubectl(
                    "apply",
                    "--server-side",
                    "--field-manager=intruder",
                    "-f",
                    intruder.toString()))
        .hasMessageContaining("conflict")
        .hasMessageContaining(ControllerSettings.FIELD_MANAGER);
    assertThat(container(deployment("s3-demo")).getImage()).isEqualTo(image);
  }

  @Test
  @Order(9)
  void theActiveReplicaHoldsARealLease() {
    io.fabric8.kubernetes.api.model.coordination.v1.Lease lease =
        client
            .leases()
            .inNamespace(RealCluster.CONFIG_NAMESPACE)
            .withName(ControllerSettings.LEASE_NAME)
            .get();
    assertThat(lease).isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("test-replica");
    assertThat(lease.getSpec().getRenewTime()).isNotNull();
  }

  @Test
  @Order(10)
  void aPodTheKubeletReportsReadyMakesTheInferenceServiceReadyThroughTheDeploymentsStatus() {
    Pod pod = predictorPodOf(copyOfS3Example("kubelet-ready"));
    String summary =
        "{\"deployed\":[{\"source\":\"s3://models/Qwen2.5-0.5B-Instruct\",\"files\":12,"
            + "\"bytes\":988097824,\"manifestDigest\":\"sha256:"
            + "0".repeat(64)
            + "\"}]}";
    kubelet.modelServerReady(pod, summary);
    eventually()
        .untilAsserted(
            () -> {
              // kube-controller-manager turned the Pod's Ready condition into the ReplicaSet's
              // and the Deployment's availability; the controller read that and the Pod's
              // initContainerStatuses.
              assertThat(deployment("kubelet-ready").getStatus().getAvailableReplicas())
                  .isEqualTo(1);
              JsonNode status = ServingJson.tree(isvc("kubelet-ready")).path("status");
              assertThat(condition(status, "Ready").at("/status").asText()).isEqualTo("True");
              assertThat(condition(status, "PredictorReady").at("/status").asText())
                  .isEqualTo("True");
              assertThat(status.at("/modelStatus/states/activeModelState").asText())
                  .isEqualTo("Loaded");
              JsonNode deployed = status.at("/modelStatus/deployed/0");
              assertThat(deployed.at("/source").asText())
                  .isEqualTo("s3://models/Qwen2.5-0.5B-Instruct");
              assertThat(deployed.at("/bytes").asLong()).isEqualTo(988097824L);
            });
  }

  @Test
  @Order(11)
  void aPermanentInitializerFailureInARealPodStopsTheRolloutUntilARetry() {
    Pod pod = predictorPodOf(copyOfS3Example("kubelet-denied"));
    String revision = pod.getMetadata().getAnnotations().get("storage.stowage.io/revision");
    assertThat(revision).matches("[0-9a-f]{16}");
    kubelet.initializerFailed(
        pod,
        3,
        "Access denied to s3://models/Qwen2.5-0.5B-Instruct: check AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY of Secret minio-creds");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(deployment("kubelet-denied").getSpec().getReplicas()).isZero();
              JsonNode status = ServingJson.tree(isvc("kubelet-denied")).path("status");
              JsonNode ready = condition(status, "Ready");
              assertThat(ready.at("/status").asText()).isEqualTo("False");
              assertThat(ready.at("/reason").asText()).isEqualTo("ModelLoadFailed");
              assertThat(ready.at("/message").asText())
                  .startsWith("storage-initializer failed permanently (exit code 3): Access denied")
                  .contains("storage.stowage.io/retry");
              assertThat(status.at("/modelStatus/lastFailureInfo/exitCode").asInt()).isEqualTo(3);
              // The ReplicaSet controller removed the failed Pod: no restart loop hides the reason.
              assertThat(KubeletStandIn.predictorPods(client, NS, "kubelet-denied")).isEmpty();
            });
    cluster.kubectl(
        "annotate", "-n", NS, "inferenceservice/kubelet-denied", "storage.stowage.io/retry=1");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(deployment("kubelet-denied").getSpec().getReplicas()).isEqualTo(1);
              List<Pod> pods = KubeletStandIn.predictorPods(client, NS, "kubelet-denied");
              assertThat(pods).hasSize(1);
              assertThat(pods.get(0).getMetadata().getAnnotations())
                  .doesNotContainEntry("storage.stowage.io/revision", revision);
            });
  }

  @Test
  @Order(12)
  void aNetworkFailureInARealPodKeepsTheRolloutGoing() {
    Pod pod = predictorPodOf(copyOfS3Example("kubelet-flaky"));
    kubelet.initializerFailed(pod, 5, "Cannot reach minio-service.kubeflow:9000: timed out");
    eventually()
        .untilAsserted(
            () -> {
              JsonNode failure =
                  ServingJson.tree(isvc("kubelet-flaky")).at("/status/modelStatus/lastFailureInfo");
              assertThat(failure.at("/exitCode").asInt()).isEqualTo(5);
              assertThat(failure.at("/message").asText()).startsWith("Cannot reach minio-service");
            });
    assertThat(deployment("kubelet-flaky").getSpec().getReplicas()).isNotZero();
    assertThat(KubeletStandIn.predictorPods(client, NS, "kubelet-flaky"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(pod.getMetadata().getName());
  }

  /** The reference S3 example under another name, created as a user would. */
  private static String copyOfS3Example(String name) {
    ObjectNode doc = Fixtures.example("s3/inferenceservice.yaml");
    ((ObjectNode) doc.get("metadata")).put("name", name);
    Fixtures.create(client, doc);
    return name;
  }

  /** The one Pod the real ReplicaSet controller created for {@code isvc}'s Deployment. */
  private static Pod predictorPodOf(String isvc) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> KubeletStandIn.predictorPods(client, NS, isvc), pods -> pods.size() == 1)
        .get(0);
  }

  private static io.fabric8.kubernetes.api.model.Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("kserve-container"))
        .findFirst()
        .orElseThrow();
  }

  private static String name(String example) {
    return example.equals("pvc") ? "pvc-demo-1" : example + "-demo";
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

  /**
   * Every field of {@code expected} is in {@code actual} with the same value; lists item by item.
   */
  static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(path + " is an object in " + actual).isTrue();
      for (Map.Entry<String, JsonNode> field : expected.properties()) {
        assertThat(actual.has(field.getKey())).as(path + "." + field.getKey() + " is set").isTrue();
        assertContains(actual.get(field.getKey()), field.getValue(), path + "." + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.size())
          .as(path + " has " + expected.size() + " items")
          .isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(actual.asText()).as(path).isEqualTo(expected.asText());
    }
  }

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

  private static List<ManagedFieldsEntry> managedBy(HasMetadata o, String manager) {
    return Objects.requireNonNullElse(
            o.getMetadata().getManagedFields(), List.<ManagedFieldsEntry>of())
        .stream()
        .filter(e -> manager.equals(e.getManager()))
        .toList();
  }

  /** The fields {@code manager} owns on the main resource, as a tree of {@code f:} keys. */
  private static JsonNode fieldsOf(HasMetadata o, String manager) {
    return managedBy(o, manager).stream()
        .filter(e -> e.getSubresource() == null || e.getSubresource().isEmpty())
        .findFirst()
        .map(e -> ServingJson.tree(e.getFieldsV1()))
        .orElseThrow(() -> new AssertionError(manager + " owns no field of " + o.getKind()));
  }

  private static boolean ownedBy(HasMetadata o, HasMetadata owner) {
    return Objects.requireNonNullElse(
            o.getMetadata().getOwnerReferences(), List.<OwnerReference>of())
        .stream()
        .anyMatch(r -> r.getUid().equals(owner.getMetadata().getUid()));
  }

  static InferenceServiceResource isvc(String name) {
    return Objects.requireNonNull(isvcOrNull(name), "InferenceService " + name);
  }

  static InferenceServiceResource isvcOrNull(String name) {
    return client.resources(InferenceServiceResource.class).inNamespace(NS).withName(name).get();
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

  static Service service(String isvc) {
    return client.services().inNamespace(NS).withName(isvc + "-predictor").get();
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
}
