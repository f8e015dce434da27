package io.stowage.cli.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stowage.controller.ControllerSettings;
import io.stowage.controller.StowageController;
import io.stowage.controller.logging.StderrLoggerProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stowage controller}: reconciles InferenceServices in Standard mode until stopped. Every
 * option has an environment variable, which is how the Deployment in {@code deploy/} sets it.
 */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Reconcile KServe InferenceServices (Standard mode) into Deployments, Services and HPAs,"
          + " through the same planner as `stowage render`.",
      "Uses the in-cluster ServiceAccount, or ~/.kube/config outside a cluster."
    })
public final class ControllerCommand implements Callable<Integer> {
  @Option(
      names = "--namespaces",
      defaultValue = "${env:STOWAGE_NAMESPACES}",
      paramLabel = "NS[,NS...]",
      description =
          "Namespaces where InferenceServices live (env STOWAGE_NAMESPACES); empty: all"
              + " namespaces, which needs cluster-wide Secret reads.")
  String namespaces = "";

  @Option(
      names = "--config-namespace",
      defaultValue = "${env:STOWAGE_CONFIG_NAMESPACE:-kserve}",
      description =
          "Namespace of the inferenceservice-config ConfigMap (env STOWAGE_CONFIG_NAMESPACE,"
              + " default ${DEFAULT-VALUE}).")
  String configNamespace = "kserve";

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "${env:STOWAGE_LEADER_ELECTION:-true}",
      fallbackValue = "true",
      description =
          "Elect one active replica through the Lease stowage-controller (env"
              + " STOWAGE_LEADER_ELECTION, default ${DEFAULT-VALUE}).")
  boolean leaderElection = true;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      description = "Namespace of the Lease (env POD_NAMESPACE; default: the client's namespace).")
  String leaseNamespace = "";

  @Option(
      names = "--http-port",
      defaultValue = "${env:STOWAGE_HTTP_PORT:-8080}",
      description =
          "Port of /healthz, /readyz and /metrics (env STOWAGE_HTTP_PORT, default"
              + " ${DEFAULT-VALUE}).")
  int httpPort = 8080;

  @Option(
      names = "--threads",
      defaultValue = "${env:STOWAGE_RECONCILE_THREADS:-8}",
      description =
          "InferenceServices reconciled at once (env STOWAGE_RECONCILE_THREADS, default"
              + " ${DEFAULT-VALUE}).")
  int threads = 8;

  @Override
  public Integer call() throws Exception {
    StderrLoggerProvider.select();
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        StowageController controller = StowageController.start(settings(client), client)) {
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "stowage-shutdown"));
      stopped.await();
      return 0;
    }
  }

  ControllerSettings settings(KubernetesClient client) {
    String identity =
        Objects.requireNonNullElse(
            System.getenv("POD_NAME"),
            Objects.requireNonNullElse(System.getenv("HOSTNAME"), "stowage-controller"));
    String lease =
        leaseNamespace == null || leaseNamespace.isBlank()
            ? Objects.requireNonNullElse(client.getNamespace(), "default")
            : leaseNamespace;
    return new ControllerSettings(
        namespaceSet(namespaces),
        configNamespace,
        // Server-side apply is the only write path: GA since Kubernetes 1.22, served by every API
        // server KServe supports. Create-and-replace remains only for fabric8's mock server in
        // the controller's own tests (ControllerSettings).
        true,
        leaderElection ? new ControllerSettings.LeaderElection(lease, identity, true) : null,
        threads,
        httpPort,
        Duration.ofMinutes(2));
  }

  static Set<String> namespaceSet(String list) {
    Set<String> set = new LinkedHashSet<>();
    if (list != null) {
      Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(set::add);
    }
    return set;
  }
}
