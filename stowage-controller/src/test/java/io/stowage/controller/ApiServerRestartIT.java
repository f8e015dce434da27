package io.stowage.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stowage.testkit.KubeBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kube-apiserver stopped and started again (same port, same etcd) in the middle of a scenario: the
 * controller's watches break and come back, after etcd was compacted past what they had seen (410
 * Gone), and nothing is lost or done twice.
 */
class ApiServerRestartIT {
  static final String NS = "demo-space";
  static RealCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws IOException {
    Optional<KubeBinaries> binaries = KubeBinaries.needed();
    assumeTrue(binaries.isPresent(), "no Kubernetes binaries: run e2e/k8s/build.sh");
    cluster =
        RealCluster.start(
            binaries.get(),
            Path.of("target", "real-cluster", ApiServerRestartIT.class.getSimpleName()),
            Set.of(NS));
    client = cluster.client();
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
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions();
  }

  @Test
  void workStartedBeforeAndAskedForAfterARestartAndACompactionIsDoneOnce() throws IOException {
    apply("before");
    Deployment before = eventually().until(() -> deployment("before"), d -> d != null);
    // Asked for just before the API server goes away: the controller may be in the middle of it.
    apply("during");

    // Compacted at the latest revision: the controller's watches, resuming from older resource
    // versions on the new API server, get 410 Gone and must list again.
    assertThat(cluster.plane().compactEtcd()).isPositive();
    cluster.plane().restartApiServer();
    // What the controller's Deployment informer met: its resource version is gone.
    String stale =
        client.raw(
            cluster.plane().url()
                + "/apis/apps/v1/namespaces/"
                + NS
                + "/deployments?watch=true&timeoutSeconds=5&resourceVersion="
                + before.getMetadata().getResourceVersion());
    assertThat(stale).contains("\"code\":410");

    apply("after");
    cluster.kubectl(
        "annotate",
        "inferenceservice",
        "before",
        "-n",
        NS,
        "--overwrite",
        "aml-model-repo=Qwen2.5");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(deployment("during")).isNotNull();
              assertThat(deployment("after")).isNotNull();
              assertThat(deployment("before").getMetadata().getAnnotations())
                  .containsEntry("aml-model-repo", "Qwen2.5");
            });
    // Not deleted and made again: the same object, whose template changed once (the annotation).
    Deployment now = deployment("before");
    assertThat(now.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(now.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(deployment("during").getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(deployment("after").getMetadata().getGeneration()).isEqualTo(1L);
  }

  private static void apply(String name) throws IOException {
    ObjectNode doc = Fixtures.example("s3/inferenceservice.yaml");
    ((ObjectNode) doc.get("metadata")).put("name", name);
    Path file = cluster.plane().dir().resolve(name + ".json");
    Files.writeString(file, doc.toString(), StandardCharsets.UTF_8);
    cluster.kubectl("apply", "-f", file.toString());
  }

  private static Deployment deployment(String isvc) {
    return client.apps().deployments().inNamespace(NS).withName(isvc + "-predictor").get();
  }
}
