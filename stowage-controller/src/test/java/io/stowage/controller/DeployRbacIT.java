package io.stowage.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.serving.api.ServingJson;
import io.stowage.testkit.KubeBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * deploy/ as a user installs it, {@code kubectl apply -k deploy/}, on an API server with RBAC on,
 * and the controller running with a token of the ServiceAccount deploy/ makes, so with exactly the
 * rights of its ClusterRoles, Roles and bindings: the reference example reconciles, and a request
 * outside those rights is denied by the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployRbacIT {
  static final String NS = "demo-space";
  static final String SYSTEM = RealCluster.CONFIG_NAMESPACE;
  static final String ACCOUNT = "stowage-controller";
  static RealCluster cluster;
  static KubernetesClient admin;
  static String token = "";

  @BeforeAll
  static void start() {
    Optional<KubeBinaries> binaries = KubeBinaries.needed();
    assumeTrue(binaries.isPresent(), "no Kubernetes binaries: run e2e/k8s/build.sh");
    cluster =
        RealCluster.bare(
            binaries.get(), Path.of("target", "real-cluster", DeployRbacIT.class.getSimpleName()));
    admin = cluster.client();
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
  void kubectlApplyKustomizeDeploySucceedsAsTheReadmeSays() {
    // The README: "The first run on a fresh cluster may report no matches for kind
    // ClusterStorageContainer while the new CRD is being registered: run it again." That is the
    // only failure allowed, and the second run must succeed.
    String out;
    try {
      out = cluster.kubectl("apply", "-k", Fixtures.deploy().toString());
    } catch (IllegalStateException firstRun) {
      assertThat(firstRun).hasMessageContaining("no matches for kind \"ClusterStorageContainer\"");
      cluster.kubectl("wait", "--for=condition=Established", "--timeout=120s", "crd", "--all");
      out = cluster.kubectl("apply", "-k", Fixtures.deploy().toString());
    }
    assertThat(out)
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/inferenceservices.serving.kserve.io")
        .contains("serviceaccount/stowage-controller")
        .contains("deployment.apps/stowage-controller")
        .contains("clusterstoragecontainer.serving.kserve.io/default");
    assertThat(admin.serviceAccounts().inNamespace(SYSTEM).withName(ACCOUNT).get()).isNotNull();
    assertThat(admin.apps().deployments().inNamespace(SYSTEM).withName("stowage-controller").get())
        .isNotNull();
  }

  @Test
  @Order(2)
  void theControllerWithOnlyDeploysRightsReconcilesTheReferenceExample() throws IOException {
    cluster.kubectl("create", "namespace", NS);
    cluster.kubectl(
        "apply",
        "-n",
        NS,
        "-f",
        Fixtures.deploy().resolve("model-namespace/rolebinding.yaml").toString());
    cluster.kubectl(
        "apply",
        "-f",
        Fixtures.examples().resolve("runtimes/aml-vllm-0.11.2-cpu.yaml").toString(),
        "-f",
        Fixtures.examples().resolve("s3/credentials.yaml").toString());
    token = cluster.kubectl("create", "token", ACCOUNT, "-n", SYSTEM, "--duration=1h").strip();
    cluster.startController(RealCluster.settings(Set.of(NS)), token);

    cluster.kubectl(
        "apply", "-f", Fixtures.examples().resolve("s3/inferenceservice.yaml").toString());

    eventually()
        .untilAsserted(
            () -> {
              Deployment d =
                  admin.apps().deployments().inNamespace(NS).withName("s3-demo-predictor").get();
              assertThat(d).isNotNull();
              assertThat(admin.services().inNamespace(NS).withName("s3-demo-predictor").get())
                  .isNotNull();
              InferenceServiceResource isvc =
                  admin
                      .resources(InferenceServiceResource.class)
                      .inNamespace(NS)
                      .withName("s3-demo")
                      .get();
              JsonNode status = ServingJson.tree(isvc).path("status");
              assertThat(status.at("/url").asText())
                  .isEqualTo("http://s3-demo-demo-space.example.com");
            });
  }

  @Test
  @Order(3)
  void aRequestOutsideThoseRightsIsDeniedByTheServer() {
    try (KubernetesClient asController =
        RealCluster.client(cluster.plane(), token, "stowage-rbac-probe")) {
      // Secrets only in model namespaces, never in kube-system.
      assertThatThrownBy(() -> asController.secrets().inNamespace("kube-system").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      // Nor may it delete a namespace: the roles name no namespace rights.
      assertThatThrownBy(() -> asController.namespaces().withName(NS).delete())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }
}
