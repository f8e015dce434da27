package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC on) and
 * kube-controller-manager (garbage collector, Deployment and ReplicaSet controllers, ServiceAccount
 * controllers...), each a child process of the test JVM, built by {@code e2e/k8s/build.sh}. No
 * node: Pods stay Pending.
 *
 * <p>Why not fabric8's kube-api-test: it runs etcd with {@code --listen-client-urls
 * http://0.0.0.0:port} (every interface, not configurable), starts no controller-manager, and
 * cannot restart the API server on the same port over the same etcd. This fixture keeps every
 * listener on 127.0.0.1 (etcd's client and peer URLs, the API server's {@code --bind-address}; the
 * controller-manager serves nothing, {@code --secure-port=0}) and uses the same binary layout.
 *
 * <p>Credentials are made by the fixture: the API server's serving certificate from {@link
 * TlsMaterial} (127.0.0.1 and localhost), a fresh RSA key for ServiceAccount tokens, and random
 * static bearer tokens ({@code --token-auth-file}) for the test's administrator and the
 * controller-manager, both in {@code system:masters}. Everything lives in {@link #dir()}; each
 * process logs to a file there, whose tail an error message carries.
 */
public final class KubeControlPlane implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
  private static final int LOG_TAIL_LINES = 30;

  /**
   * Virtual addresses for Service cluster IPs: allocated by the API server, never routed. A /16,
   * because each InferenceService has a Service and the controller benchmark creates 1,000 (a /24
   * is full after 254: "failed to allocate a serviceIP: range is full").
   */
  private static final String SERVICE_CIDR = "10.0.0.0/16";

  private final KubeBinaries binaries;
  private final Path dir;
  private final List<String> extraApiServerFlags;
  private final TlsMaterial tls;
  private final String adminToken = randomToken();
  private final String controllerManagerToken = randomToken();
  private final int etcdPort = Loopback.freePort();
  private final int etcdPeerPort = Loopback.freePort();
  private final int apiServerPort = Loopback.freePort();
  private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
  private final Thread shutdownHook = new Thread(this::stopAll, "kube-control-plane-shutdown");
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Readiness probes: trusts the API server's certificate (etcd's health URL is plain HTTP). */
  private final HttpClient probeClient;

  private @Nullable Process etcd;
  private @Nullable Process apiServer;
  private @Nullable Process controllerManager;

  private KubeControlPlane(KubeBinaries binaries, Path dir, List<String> extraApiServerFlags) {
    this.binaries = binaries;
    this.extraApiServerFlags = List.copyOf(extraApiServerFlags);
    this.dir = dir.toAbsolutePath().normalize();
    this.tls = TlsMaterial.loadOrGenerate(this.dir.resolve("tls"));
    this.probeClient =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .sslContext(tls.clientContextTrustingIt())
            .build();
  }

  /**
   * Starts etcd, the API server and the controller-manager with their files in {@code dir} (emptied
   * first: a new cluster each time; the logs stay there after {@link #close()}), and returns once
   * the API server is ready and the controller-manager has created the {@code default}
   * ServiceAccount (its controllers run).
   *
   * @throws IllegalStateException when a process exits or is not ready in time, with its log's tail
   */
  public static KubeControlPlane start(KubeBinaries binaries, Path dir) {
    return start(binaries, dir, List.of());
  }

  /**
   * As {@link #start(KubeBinaries, Path)}, with more flags for kube-apiserver after its own (an
   * audit log for a benchmark that counts one client's requests, say); files they name must live
   * outside {@code dir}, which is emptied first.
   */
  public static KubeControlPlane start(
      KubeBinaries binaries, Path dir, List<String> extraApiServerFlags) {
    TestFiles.deleteRecursively(dir);
    KubeControlPlane plane = new KubeControlPlane(binaries, dir, extraApiServerFlags);
    Runtime.getRuntime().addShutdownHook(plane.shutdownHook);
    try {
      plane.writeCredentials();
      plane.startEtcd();
      plane.startApiServer();
      plane.startControllerManager();
      return plane;
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
  }

  /** https://127.0.0.1:port, the same across {@link #restartApiServer()}. */
  public URI url() {
    return URI.create("https://" + Loopback.HOST + ":" + apiServerPort);
  }

  /** The API server's certificate, for clients to trust. */
  public Path caCertificatePem() {
    return tls.caCertificatePem();
  }

  /** A bearer token of user {@code stowage-test-admin} in group {@code system:masters}. */
  public String adminToken() {
    return adminToken;
  }

  /** A kubeconfig for the administrator, for kubectl. */
  public Path adminKubeconfig() {
    return dir.resolve("admin.kubeconfig");
  }

  public Path dir() {
    return dir;
  }

  public KubeBinaries binaries() {
    return binaries;
  }

  /** The issuer of ServiceAccount tokens ({@code --service-account-issuer}). */
  public String serviceAccountIssuer() {
    return url().toString();
  }

  /**
   * Runs kubectl as the administrator with {@code args}, and returns what it printed (standard
   * output and error together).
   *
   * @throws IllegalStateException when kubectl exits non-zero or runs longer than two minutes
   */
  public String kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binaries.binary("kubectl").toString());
    command.add("--kubeconfig=" + adminKubeconfig());
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile(dir, "kubectl-", ".out");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "kubectl " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while kubectl ran", e);
    }
  }

  /**
   * Stops the API server (SIGTERM, as a rolling restart would) and starts it again on the same port
   * over the same etcd; returns once it is ready. Clients' watches break meanwhile.
   */
  public void restartApiServer() {
    Process old = apiServer;
    if (old != null) {
      JdkTools.stop(old);
      processes.remove(old);
    }
    startApiServer();
  }

  /**
   * Compacts etcd at its current revision (through etcd's JSON gateway on loopback) and returns
   * that revision: a watch that resumes from an older resource version then gets 410 Gone, as after
   * the API server's periodic compaction in a long-running cluster.
   */
  public long compactEtcd() {
    URI etcdUrl = URI.create("http://" + Loopback.HOST + ":" + etcdPort);
    try {
      // Any range request reports the store's revision in its header.
      String range = post(etcdUrl.resolve("/v3/kv/range"), "{\"key\":\"AA==\",\"limit\":1}");
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"revision\":\"?(\\d+)").matcher(range);
      if (!m.find()) {
        throw new IllegalStateException("no revision in etcd's answer: " + range);
      }
      long revision = Long.parseLong(m.group(1));
      post(
          etcdUrl.resolve("/v3/kv/compaction"),
          "{\"revision\":\"" + revision + "\",\"physical\":true}");
      return revision;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compact etcd at " + etcdUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compacting etcd", e);
    }
  }

  private String post(URI uri, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        probeClient.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "etcd answered " + response.statusCode() + " to " + uri + ": " + response.body());
    }
    return response.body();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; it does the same work.
    }
    stopAll();
  }

  /** The controller-manager first (it talks to the API server), etcd last. */
  private void stopAll() {
    List<Process> running;
    synchronized (processes) {
      running = new ArrayList<>(processes);
    }
    Collections.reverse(running);
    running.forEach(JdkTools::stop);
  }

  private void writeCredentials() {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("apiserver.key"), pem("PRIVATE KEY", serverKey().getEncoded()));
      Files.copy(
          tls.caCertificatePem(),
          dir.resolve("apiserver.crt"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair serviceAccountKey = generator.generateKeyPair();
      Files.writeString(
          dir.resolve("service-account.key"),
          pem("PRIVATE KEY", serviceAccountKey.getPrivate().getEncoded()));
      Files.writeString(
          dir.resolve("tokens.csv"),
          adminToken
              + ",stowage-test-admin,stowage-test-admin,system:masters\n"
              + controllerManagerToken
              + ",system:kube-controller-manager,system:kube-controller-manager,system:masters\n");
      Files.writeString(adminKubeconfig(), kubeconfig(adminToken));
      Files.writeString(
          dir.resolve("controller-manager.kubeconfig"), kubeconfig(controllerManagerToken));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the control plane's credentials in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the control plane's keys", e);
    }
  }

  private PrivateKey serverKey() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(tls.keyStore())) {
      store.load(in, tls.password());
    }
    for (String alias : Collections.list(store.aliases())) {
      Key key = store.getKey(alias, tls.password());
      if (key instanceof PrivateKey privateKey) {
        return privateKey;
      }
    }
    throw new IllegalStateException("no private key in " + tls.keyStore());
  }

  private String kubeconfig(String token) {
    return """
    apiVersion: v1
    kind: Config
    clusters:
    - name: stowage-test
      cluster:
        server: %s
        certificate-authority: %s
    users:
    - name: user
      user:
        token: %s
    contexts:
    - name: stowage-test
      context:
        cluster: stowage-test
        user: user
    current-context: stowage-test
    """
        .formatted(url(), tls.caCertificatePem(), token);
  }

  private void startEtcd() {
    String client = "http://" + Loopback.HOST + ":" + etcdPort;
    String peer = "http://" + Loopback.HOST + ":" + etcdPeerPort;
    etcd =
        launch(
            "etcd",
            "--name=stowage-test",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=stowage-test=" + peer,
            // Throw-away data on a disk shared with other builds: fsync would only slow tests.
            "--unsafe-no-fsync=true",
            "--log-level=warn");
    awaitReady(etcd, "etcd", () -> get(URI.create(client + "/health"), false));
  }

  private void startApiServer() {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--bind-address=" + Loopback.HOST,
                "--advertise-address=" + Loopback.HOST,
                // The endpoint reconciler refuses a loopback address for the `kubernetes` Service;
                // nothing in this cluster reaches the API server through that Service anyway.
                "--endpoint-reconciler-type=none",
                "--secure-port=" + apiServerPort,
                "--etcd-servers=http://" + Loopback.HOST + ":" + etcdPort,
                "--cert-dir=" + dir.resolve("apiserver-certs"),
                "--tls-cert-file=" + dir.resolve("apiserver.crt"),
                "--tls-private-key-file=" + dir.resolve("apiserver.key"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=" + serviceAccountIssuer(),
                "--service-account-key-file=" + dir.resolve("service-account.key"),
                "--service-account-signing-key-file=" + dir.resolve("service-account.key"),
                "--service-cluster-ip-range=" + SERVICE_CIDR,
                "--allow-privileged=true",
                "--profiling=false"));
    flags.addAll(extraApiServerFlags);
    Process process = launch("kube-apiserver", flags.toArray(String[]::new));
    apiServer = process;
    awaitReady(process, "kube-apiserver", () -> get(url().resolve("/readyz"), true));
  }

  private void startControllerManager() {
    Path kubeconfig = dir.resolve("controller-manager.kubeconfig");
    controllerManager =
        launch(
            "kube-controller-manager",
            "--kubeconfig=" + kubeconfig,
            "--secure-port=0",
            "--leader-elect=false",
            "--use-service-account-credentials=false",
            "--service-account-private-key-file=" + dir.resolve("service-account.key"),
            "--root-ca-file=" + tls.caCertificatePem(),
            "--cluster-name=stowage-test",
            "--profiling=false");
    // The ServiceAccount controller makes "default" in each namespace: its controllers run.
    awaitReady(
        controllerManager,
        "kube-controller-manager",
        () -> get(url().resolve("/api/v1/namespaces/default/serviceaccounts/default"), true));
  }

  private Process launch(String binary, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binaries.binary(binary).toString());
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log(binary).toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  public Path log(String binary) {
    return dir.resolve(binary + ".log");
  }

  private interface Probe {
    boolean ready() throws IOException, InterruptedException;
  }

  private void awaitReady(Process process, String name, Probe probe) {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited early (exit code " + process.exitValue() + ")" + logTail(name));
      }
      try {
        if (probe.ready()) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      pause();
    }
    throw new IllegalStateException(
        name + " was not ready within " + STARTUP_TIMEOUT.toSeconds() + " s" + logTail(name));
  }

  private boolean get(URI uri, boolean asAdmin) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
    if (asAdmin) {
      request.header("Authorization", "Bearer " + adminToken);
    }
    return probeClient.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
        == 200;
  }

  private String logTail(String name) {
    try {
      List<String> lines = Files.readAllLines(log(name), StandardCharsets.UTF_8);
      return "; last lines of "
          + log(name)
          + ":\n"
          + String.join(
              "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "; no log at " + log(name);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String randomToken() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
