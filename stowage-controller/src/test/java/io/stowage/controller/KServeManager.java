package io.stowage.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.stowage.serving.api.ServingJson;
import io.stowage.testkit.KServeBuild;
import io.stowage.testkit.KubeControlPlane;
import io.stowage.testkit.NamespaceBridge;
import io.stowage.testkit.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * KServe's own manager (its InferenceService controller and pod mutating webhook, built by {@code
 * e2e/kserve/build.sh}) running against a {@link KubeControlPlane}, set up from KServe's config/
 * tree of the same version:
 *
 * <ul>
 *   <li>its CRDs, applied server-side (the InferenceService CRD is too large for client-side
 *       apply's annotation);
 *   <li>its {@code inferenceservice-config} ConfigMap in namespace {@code kserve}, with {@code
 *       defaultDeploymentMode: Standard} and {@code disableIngressCreation: true} (no Knative, no
 *       Istio, no Gateway API in this cluster), plus whatever the test changes;
 *   <li>its webhook configurations, each {@code clientConfig.service} replaced by a URL on
 *       127.0.0.1 and the CA of a certificate this harness makes (the manager reads it from {@code
 *       $TMPDIR/k8s-webhook-server/serving-certs}, controller-runtime's default).
 * </ul>
 *
 * <p>The manager binds its webhook to every interface (no flag says otherwise), so it runs in a
 * network namespace of its own ({@code unshare --net}) whose only interface is {@code lo}; a {@link
 * NamespaceBridge} carries the API server's port into it and the webhook's port out of it, through
 * Unix sockets in {@link #dir()}. The manager uses the administrator's kubeconfig unchanged (the
 * bridge listens on the API server's port number inside). Metrics are off; leader election is off.
 */
public final class KServeManager implements AutoCloseable {
  public static final String NAMESPACE = "kserve";
  public static final String CONFIG_MAP = "inferenceservice-config";
  private static final int WEBHOOK_PORT_INSIDE = 9443;
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SERVICE_REFERENCE =
      Pattern.compile(
          "( *)service:\\n\\s*name: \\$\\(webhookServiceName\\)\\n\\s*namespace:"
              + " \\$\\(kserveNamespace\\)\\n\\s*path: (\\S+)\\n");

  private final KServeBuild build;
  private final KubeControlPlane plane;
  private final Path dir;
  private final TlsMaterial tls;
  private final int webhookPort;
  private final NamespaceBridge bridge = new NamespaceBridge();
  private @Nullable Process process;

  private KServeManager(KServeBuild build, KubeControlPlane plane, Path dir) {
    this.build = build;
    this.plane = plane;
    this.dir = dir.toAbsolutePath().normalize();
    this.tls = TlsMaterial.selfSigned(this.dir.resolve("tls"));
    this.webhookPort = freePort();
  }

  /**
   * Installs KServe's CRDs, ConfigMap ({@code config} may change its data) and webhook
   * configurations on {@code plane}, starts the manager with its files in {@code dir}, and returns
   * once its webhook server answers through the bridge.
   */
  public static KServeManager start(
      KServeBuild build,
      KubeControlPlane plane,
      Path dir,
      UnaryOperator<Map<String, String>> config) {
    KServeManager manager = new KServeManager(build, plane, dir);
    try {
      manager.installCrds();
      plane.kubectl("create", "namespace", NAMESPACE);
      manager.applyConfigMap(config);
      manager.writeCertificate();
      manager.launch();
      manager.awaitWebhook();
      manager.applyWebhookConfigurations();
      return manager;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The shipped ConfigMap with Standard mode and no ingress: what both sides are given. */
  public static Map<String, String> standardConfig(KServeBuild build) {
    ConfigMap shipped = shippedConfigMap(build);
    Map<String, String> data = new LinkedHashMap<>(shipped.getData());
    data.remove("_example");
    data.put("deploy", edit(data.get("deploy"), o -> o.put("defaultDeploymentMode", "Standard")));
    data.put("ingress", edit(data.get("ingress"), o -> o.put("disableIngressCreation", true)));
    return data;
  }

  public String version() {
    return build.version();
  }

  public Path dir() {
    return dir;
  }

  public Path log() {
    return dir.resolve("kserve-manager.log");
  }

  private static ConfigMap shippedConfigMap(KServeBuild build) {
    Path file = build.config().resolve("configmap/inferenceservice.yaml");
    return ServingJson.fromTree(Fixtures.documents(file).get(0), ConfigMap.class);
  }

  private static String edit(
      @Nullable String json, java.util.function.Consumer<ObjectNode> change) {
    if (json == null) {
      throw new IllegalStateException("KServe's ConfigMap lacks a key this harness edits");
    }
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(json);
      change.accept(node);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException("KServe's ConfigMap holds no JSON object: " + json, e);
    }
  }

  private void installCrds() {
    Path crds = build.config().resolve("crd/full");
    List<String> args = new ArrayList<>(List.of("apply", "--server-side", "--force-conflicts"));
    for (String file :
        List.of(
            "serving.kserve.io_inferenceservices.yaml",
            "serving.kserve.io_trainedmodels.yaml",
            "serving.kserve.io_clusterservingruntimes.yaml",
            "serving.kserve.io_servingruntimes.yaml",
            "serving.kserve.io_inferencegraphs.yaml",
            "clusterstoragecontainer/serving.kserve.io_clusterstoragecontainers.yaml")) {
      args.add("-f");
      args.add(crds.resolve(file).toString());
    }
    plane.kubectl(args.toArray(String[]::new));
    // Until the API server has written a CRD's first status, kubectl wait fails instead of waiting.
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (true) {
      try {
        plane.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all");
        return;
      } catch (IllegalStateException noStatusYet) {
        if (Instant.now().isAfter(deadline)) {
          throw noStatusYet;
        }
        pause();
      }
    }
  }

  private void applyConfigMap(UnaryOperator<Map<String, String>> config) {
    ConfigMap map = shippedConfigMap(build);
    map.setData(config.apply(standardConfig(build)));
    map.getMetadata().setNamespace(NAMESPACE);
    writeAndApply("inferenceservice-config.json", serialize(map));
  }

  /** controller-runtime reads tls.crt and tls.key from $TMPDIR/k8s-webhook-server/serving-certs. */
  private void writeCertificate() {
    try {
      Path certs = dir.resolve("tmp/k8s-webhook-server/serving-certs");
      Files.createDirectories(certs);
      Files.copy(
          tls.caCertificatePem(),
          certs.resolve("tls.crt"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(certs.resolve("tls.key"), tls.privateKeyPem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the webhook's certificate in " + dir, e);
    }
  }

  private void launch() {
    int apiPort = plane.url().getPort();
    Path apiSocket = dir.resolve("api.sock");
    Path webhookSocket = dir.resolve("webhook.sock");
    bridge.unixToTcp(apiSocket, apiPort).tcpToUnix(webhookPort, webhookSocket);
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--net",
                "--fork",
                "--kill-child=SIGTERM",
                "sh",
                "-c",
                // The new namespace's lo is down; the bridge then runs the manager as its child.
                "ip link set lo up && exec \"$@\"",
                "sh",
                javaLauncher().toString(),
                "-cp",
                classPathOf(NamespaceBridge.class),
                NamespaceBridge.class.getName(),
                "tcp:" + apiPort + "=unix:" + apiSocket,
                "unix:" + webhookSocket + "=tcp:" + WEBHOOK_PORT_INSIDE,
                "--",
                build.manager().toString(),
                "--metrics-addr=0",
                "--health-probe-addr=127.0.0.1:8081",
                "--webhook-port=" + WEBHOOK_PORT_INSIDE,
                "--leader-elect=false",
                "--zap-log-level=info"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", plane.adminKubeconfig().toString());
    env.put("POD_NAMESPACE", NAMESPACE);
    env.put("TMPDIR", dir.resolve("tmp").toString());
    env.remove("JAVA_TOOL_OPTIONS");
    try {
      this.process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + build.manager(), e);
    }
  }

  /** Ready when the webhook answers TLS with our certificate, through both bridges. */
  private void awaitWebhook() {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .sslContext(tls.clientContextTrustingIt())
            .build();
    URI uri = URI.create("https://127.0.0.1:" + webhookPort + "/mutate-pods");
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    Process process = java.util.Objects.requireNonNull(this.process, "not launched");
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "KServe's manager exited early (exit code " + process.exitValue() + ")" + logTail());
      }
      try {
        client.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for KServe's manager", e);
      }
    }
    throw new IllegalStateException(
        "KServe's webhook did not answer within " + STARTUP_TIMEOUT.toSeconds() + " s" + logTail());
  }

  /**
   * KServe's webhook configurations as shipped, each service reference replaced by the bridged
   * loopback URL of the same path and the certificate's CA.
   */
  private void applyWebhookConfigurations() {
    try {
      String shipped =
          Files.readString(
              build.config().resolve("webhook/manifests.yaml"), StandardCharsets.UTF_8);
      String caBundle =
          Base64.getEncoder().encodeToString(Files.readAllBytes(tls.caCertificatePem()));
      Matcher m = SERVICE_REFERENCE.matcher(shipped);
      StringBuilder out = new StringBuilder();
      int replaced = 0;
      while (m.find()) {
        String indent = m.group(1);
        String url = "https://127.0.0.1:" + webhookPort + m.group(2);
        m.appendReplacement(
            out,
            Matcher.quoteReplacement(
                indent + "url: " + url + "\n" + indent + "caBundle: " + caBundle + "\n"));
        replaced++;
      }
      m.appendTail(out);
      if (replaced == 0 || out.indexOf("$(") >= 0) {
        throw new IllegalStateException(
            "KServe's webhook/manifests.yaml no longer has the service references this harness"
                + " rewrites");
      }
      writeAndApply("webhooks.yaml", out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read KServe's webhook configurations", e);
    }
  }

  private void writeAndApply(String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(dir);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      plane.kubectl("apply", "--server-side", "--force-conflicts", "-f", file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + " in " + dir, e);
    }
  }

  private static String serialize(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return "; last lines of "
          + log()
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "; no log at " + log();
    }
  }

  @Override
  public void close() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    bridge.close();
  }

  private static Path javaLauncher() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The folder or jar that holds {@code type}: the testkit, on the test's class path. */
  private static String classPathOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + type, e);
    }
  }

  private static int freePort() {
    try (ServerSocket probe =
        new ServerSocket(0, 1, java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
