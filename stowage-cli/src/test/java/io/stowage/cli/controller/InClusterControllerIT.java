package io.stowage.cli.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.testkit.KubeBinaries;
import io.stowage.testkit.KubeControlPlane;
import io.stowage.testkit.PodEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The controller as {@code deploy/} installs it, run from the distribution on the host with the
 * in-cluster settings its Deployment gives it: the README's install steps with kubectl against a
 * real control plane ({@code kubectl apply -k deploy/}, the model-namespace RoleBinding, {@code
 * kubectl set env ... STOWAGE_NAMESPACES=default,demo-space}); then the container of the Pod that
 * kube-controller-manager created from that Deployment (Pending: no node) is run by this test as
 * its kubelet would run it ({@link PodEnvironment}): the container's args after the image's
 * entrypoint (the distribution's launcher), its env with the downward-API fields resolved for that
 * Pod, a ServiceAccount token bound to the Pod at the in-cluster path, no kubeconfig. The reference
 * examples applied with kubectl then reconcile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InClusterControllerIT {
  static final String SYSTEM = "stowage-system";
  static final String NS = "demo-space";
  static final List<String> EXAMPLES = List.of("s3", "pvc", "oci");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static KubeControlPlane plane;
  static @Nullable Process controller;
  static Path work;
  static String podName = "";
  static int httpPort;

  @BeforeAll
  static void start() throws IOException {
    Optional<KubeBinaries> binaries = KubeBinaries.needed();
    assumeTrue(binaries.isPresent(), "no Kubernetes binaries: run e2e/k8s/build.sh");
    work = Path.of("target", "real-cluster", InClusterControllerIT.class.getSimpleName());
    plane = KubeControlPlane.start(binaries.get(), work.resolve("plane"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (controller != null) {
      controller.destroy();
      if (!controller.waitFor(30, TimeUnit.SECONDS)) {
        controller.destroyForcibly();
      }
    }
    if (plane != null) {
      plane.close();
    }
  }

  static ConditionFactory eventually() {
    return await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions();
  }

  @Test
  @Order(1)
  void theReadmesInstallStepsSucceed() {
    try {
      kubectl("apply", "-k", ROOT.resolve("deploy").toString());
    } catch (IllegalStateException firstRun) {
      // The README: a fresh cluster may not know ClusterStorageContainer yet; run it again.
      assertThat(firstRun).hasMessageContaining("no matches for kind \"ClusterStorageContainer\"");
      kubectl("wait", "--for=condition=Established", "--timeout=120s", "crd", "--all");
      kubectl("apply", "-k", ROOT.resolve("deploy").toString());
    }
    kubectl("create", "namespace", NS);
    kubectl(
        "apply",
        "-n",
        NS,
        "-f",
        ROOT.resolve("deploy/model-namespace/rolebinding.yaml").toString());
    kubectl(
        "-n",
        SYSTEM,
        "set",
        "env",
        "deployment/stowage-controller",
        "STOWAGE_NAMESPACES=default," + NS);
  }

  @Test
  @Order(2)
  void theControllerPodsContainerRunsWithItsInClusterSettings() throws IOException {
    JsonNode pod =
        java.util.Objects.requireNonNull(
            eventually().until(InClusterControllerIT::currentControllerPod, p -> p != null));
    podName = pod.at("/metadata/name").asText();
    JsonNode container = pod.at("/spec/containers/0");
    assertThat(container.path("command").isMissingNode())
        .as("the image's entrypoint runs the container's args")
        .isTrue();
    List<String> command = new ArrayList<>();
    command.add(launcher().toString());
    container.path("args").forEach(a -> command.add(a.asText()));
    Map<String, String> env = containerEnv(container, pod);
    assertThat(env)
        .containsEntry("STOWAGE_NAMESPACES", "default," + NS)
        .containsEntry("STOWAGE_CONFIG_NAMESPACE", SYSTEM)
        .containsEntry("POD_NAME", podName);
    // The container has a network namespace of its own, where 8080 is free; the host shares one
    // with other tests, so the same server listens on a port that is free here.
    httpPort = freePort();
    env.put("STOWAGE_HTTP_PORT", Integer.toString(httpPort));
    String token =
        kubectl(
                "create",
                "token",
                pod.at("/spec/serviceAccountName").asText(),
                "-n",
                SYSTEM,
                "--bound-object-kind=Pod",
                "--bound-object-name=" + podName,
                "--bound-object-uid=" + pod.at("/metadata/uid").asText(),
                "--duration=1h")
            .strip();
    ProcessBuilder pb =
        PodEnvironment.processBuilder(
            command,
            env,
            podName,
            plane.url(),
            new PodEnvironment.ServiceAccount(SYSTEM, token, plane.caCertificatePem()),
            work.resolve("pod").toAbsolutePath());
    pb.redirectErrorStream(true).redirectOutput(work.resolve("controller.log").toFile());
    Process started = pb.start();
    controller = started;
    eventually()
        .untilAsserted(
            () -> {
              assertThat(started.isAlive()).as(log()).isTrue();
              assertThat(get("/readyz")).isEqualTo(200);
            });
  }

  @Test
  @Order(3)
  void theReferenceExamplesReconcile() {
    kubectl(
        "apply",
        "-f",
        ROOT.resolve("examples/runtimes/aml-vllm-0.11.2-cpu.yaml").toString(),
        "-f",
        ROOT.resolve("examples/s3/credentials.yaml").toString());
    for (String example : EXAMPLES) {
      kubectl(
          "apply", "-f", ROOT.resolve("examples/" + example + "/inferenceservice.yaml").toString());
    }
    Process running = java.util.Objects.requireNonNull(controller, "the controller runs");
    for (String example : EXAMPLES) {
      String isvc = example.equals("pvc") ? "pvc-demo-1" : example + "-demo";
      eventually()
          .untilAsserted(
              () -> {
                assertThat(running.isAlive()).as(log()).isTrue();
                for (String kind : List.of("deployment", "service", "hpa")) {
                  // kubectl hides managedFields unless asked.
                  JsonNode object =
                      json(
                          kubectl(
                              "get",
                              kind,
                              "-n",
                              NS,
                              isvc + "-predictor",
                              "--show-managed-fields",
                              "-o",
                              "json"));
                  assertThat(object.at("/metadata/managedFields"))
                      .as(
                          () ->
                              kind
                                  + " of "
                                  + isvc
                                  + "; the InferenceService's status: "
                                  + get("inferenceservice", NS, isvc).path("status"))
                      .anySatisfy(
                          f -> {
                            assertThat(f.path("manager").asText()).isEqualTo("stowage-controller");
                            assertThat(f.path("operation").asText()).isEqualTo("Apply");
                          });
                }
                assertThat(get("inferenceservice", NS, isvc).at("/status/url").asText())
                    .isEqualTo("http://" + isvc + "-" + NS + ".example.com");
              });
    }
  }

  @Test
  @Order(4)
  void theLeaseNamesThePodTheControllerRunsAs() {
    JsonNode lease = get("lease", SYSTEM, "stowage-controller");
    // POD_NAME from the downward API is the replica's identity, and leader election is on.
    assertThat(lease.at("/spec/holderIdentity").asText()).isEqualTo(podName);
  }

  /** The controller's Pod of the Deployment's current template (after `set env`). */
  static @Nullable JsonNode currentControllerPod() {
    JsonNode deployment = get("deployment", SYSTEM, "stowage-controller");
    long generation = deployment.at("/metadata/generation").asLong();
    if (deployment.at("/status/observedGeneration").asLong() < generation) {
      return null;
    }
    JsonNode pods =
        json(
            kubectl(
                "get",
                "pods",
                "-n",
                SYSTEM,
                "-l",
                "app.kubernetes.io/name=stowage-controller",
                "-o",
                "json"));
    for (JsonNode pod : pods.path("items")) {
      if (pod.at("/metadata/deletionTimestamp").isMissingNode()
          && containerEnvValue(pod, "STOWAGE_NAMESPACES").equals("default," + NS)) {
        return pod;
      }
    }
    return null;
  }

  private static String containerEnvValue(JsonNode pod, String name) {
    for (JsonNode e : pod.at("/spec/containers/0/env")) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    return "";
  }

  /** The container's env as the kubelet gives it: values, and the Pod's fields it refers to. */
  static Map<String, String> containerEnv(JsonNode container, JsonNode pod) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        env.put(name, e.path("value").asText());
        continue;
      }
      String field = e.at("/valueFrom/fieldRef/fieldPath").asText();
      JsonNode value =
          switch (field) {
            case "metadata.name" -> pod.at("/metadata/name");
            case "metadata.namespace" -> pod.at("/metadata/namespace");
            case "spec.serviceAccountName" -> pod.at("/spec/serviceAccountName");
            default -> throw new AssertionError("env " + name + ": cannot resolve " + e);
          };
      env.put(name, value.asText());
    }
    return env;
  }

  static JsonNode get(String kind, String namespace, String name) {
    return json(kubectl("get", kind, "-n", namespace, name, "-o", "json"));
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String kubectl(String... args) {
    return plane.kubectl(args);
  }

  static int get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static String log() {
    try {
      return Files.readString(work.resolve("controller.log"));
    } catch (IOException e) {
      return "(no controller log: " + e.getMessage() + ")";
    }
  }

  static Path launcher() {
    return Path.of(System.getProperty("stowage.launcher", "target/stowage/bin/stowage"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
