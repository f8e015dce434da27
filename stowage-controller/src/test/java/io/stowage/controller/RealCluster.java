package io.stowage.controller;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stowage.testkit.KubeBinaries;
import io.stowage.testkit.KubeControlPlane;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A real control plane ({@link KubeControlPlane}: etcd, kube-apiserver with RBAC,
 * kube-controller-manager) with deploy/'s CRDs applied by kubectl, the namespaces the controller
 * uses, and the controller running on it with server-side apply, as in production.
 */
public final class RealCluster implements AutoCloseable {
  public static final String CONTROLLER_AGENT = "stowage-controller-under-test";
  public static final String CONFIG_NAMESPACE = "stowage-system";

  private final KubeControlPlane plane;
  private final KubernetesClient admin;
  private @Nullable KubernetesClient controllerClient;
  private @Nullable StowageController controller;

  private RealCluster(KubeControlPlane plane) {
    this.plane = plane;
    this.admin = client(plane, plane.adminToken(), "stowage-test");
  }

  /** The production settings: server-side apply on, leader election on. */
  public static ControllerSettings settings(Set<String> namespaces) {
    return new ControllerSettings(
        namespaces,
        CONFIG_NAMESPACE,
        true,
        new ControllerSettings.LeaderElection(CONFIG_NAMESPACE, "test-replica", false),
        4,
        -1,
        Duration.ofSeconds(60));
  }

  /**
   * Starts the control plane in {@code dir}, applies {@code deploy/crds} with kubectl (so the
   * checked-in CRDs are what the server accepts), creates {@code namespaces} and the config
   * namespace, and waits for the CRDs to be served.
   */
  public static RealCluster start(KubeBinaries binaries, Path dir, Set<String> namespaces) {
    RealCluster cluster = bare(binaries, dir);
    try {
      cluster.kubectl("apply", "-f", Fixtures.deploy().resolve("crds").toString());
      cluster.kubectl("wait", "--for=condition=Established", "--timeout=120s", "crd", "--all");
      for (String ns : namespaces) {
        cluster.kubectl("create", "namespace", ns);
      }
      cluster.kubectl("create", "namespace", CONFIG_NAMESPACE);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Only the control plane: no CRD, no namespace of ours. */
  public static RealCluster bare(KubeBinaries binaries, Path dir) {
    return new RealCluster(KubeControlPlane.start(binaries, dir));
  }

  /** Starts the controller as the administrator, with its own client (told apart by its agent). */
  public StowageController startController(ControllerSettings settings) throws IOException {
    return startController(settings, plane.adminToken());
  }

  /**
   * deploy/'s ServiceAccount, ClusterRoles, Roles and bindings, with the model-namespace
   * RoleBinding in each of {@code namespaces}, applied by kubectl; returns a token of that
   * ServiceAccount, so that the controller runs with exactly those rights.
   */
  public String deployRbacToken(Set<String> namespaces) {
    kubectl("apply", "-f", Fixtures.deploy().resolve("rbac").toString());
    for (String ns : namespaces) {
      kubectl(
          "apply",
          "-n",
          ns,
          "-f",
          Fixtures.deploy().resolve("model-namespace/rolebinding.yaml").toString());
    }
    return kubectl("create", "token", "stowage-controller", "-n", CONFIG_NAMESPACE, "--duration=2h")
        .strip();
  }

  /** Starts the controller with the rights of {@code token}. */
  public StowageController startController(ControllerSettings settings, String token)
      throws IOException {
    controllerClient = client(plane, token, CONTROLLER_AGENT);
    controller = StowageController.start(settings, controllerClient);
    return controller;
  }

  /** A client of the control plane with {@code token}, nothing read from ~/.kube or the env. */
  public static KubernetesClient client(KubeControlPlane plane, String token, String userAgent) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(plane.url().toString())
            .withCaCertFile(plane.caCertificatePem().toString())
            .withOauthToken(token)
            .withUserAgent(userAgent)
            .withRequestTimeout(30_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public KubernetesClient client() {
    return admin;
  }

  public KubeControlPlane plane() {
    return plane;
  }

  public String kubectl(String... args) {
    return plane.kubectl(args);
  }

  public void stopController() {
    if (controller != null) {
      controller.close();
      controller = null;
    }
    if (controllerClient != null) {
      controllerClient.close();
      controllerClient = null;
    }
  }

  @Override
  public void close() {
    stopController();
    admin.close();
    plane.close();
  }
}
