package io.stowage.controller.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.stowage.controller.Fixtures;
import io.stowage.controller.RealCluster;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.serving.api.ServingJson;
import io.stowage.testkit.KubeBinaries;
import io.stowage.testkit.KubeControlPlane;
import io.stowage.testkit.PodEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Creates N InferenceServices on a real control plane ({@link KubeControlPlane}: etcd,
 * kube-apiserver with RBAC, kube-controller-manager, so Deployments become ReplicaSets and Pending
 * Pods) with {@code deploy/} applied by kubectl, and measures how long the controller, running as
 * {@code stowage controller} in its own process with the in-cluster settings of deploy/'s
 * Deployment ({@link PodEnvironment}: its ServiceAccount's token and rights, server-side apply,
 * leader election, 8 threads, a 256 MiB heap), takes until every one has its Deployment and until
 * every one has its status; the requests it made (from the API server's audit log, which records
 * the controller's ServiceAccount only); and the controller process's peak heap (from its GC log)
 * and peak RSS.
 *
 * <p>Arguments: {@code LAUNCHER COUNT WORKDIR}. Prints one {@code key=value} line per result.
 */
public final class ControllerBench {
  private static final Duration MAX_RUN = Duration.ofMinutes(5);

  private static final String NS = "bench";
  private static final String SYSTEM = RealCluster.CONFIG_NAMESPACE;
  private static final String DEPLOYMENT = "stowage-controller";
  private static final String POD = "stowage-controller-bench";
  private static final String ACCOUNT = "stowage-controller";
  private static final String CONTROLLER_USER = "system:serviceaccount:" + SYSTEM + ":" + ACCOUNT;
  private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;

  private ControllerBench() {}

  public static void main(String[] args) throws Exception {
    String launcher = args[0];
    int count = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]).toAbsolutePath();
    Files.createDirectories(work);
    KubeBinaries binaries =
        KubeBinaries.find()
            .orElseThrow(
                () -> new IllegalStateException("no Kubernetes binaries: run e2e/k8s/build.sh"));
    Path audit = work.resolve("audit.log");
    try (KubeControlPlane plane =
            KubeControlPlane.start(binaries, work.resolve("plane"), auditFlags(work, audit));
        KubernetesClient client =
            RealCluster.client(plane, plane.adminToken(), "stowage-controller-bench")) {
      install(plane, client);
      String token =
          plane.kubectl("create", "token", ACCOUNT, "-n", SYSTEM, "--duration=2h").strip();
      Path gcLog = work.resolve("controller-gc.log");
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process controller = startController(launcher, plane, client, token, gcLog, work, port);
      try {
        waitReady(controller, port);
        AtomicInteger deployments = new AtomicInteger();
        CountDownLatch allDeployments = new CountDownLatch(1);
        Set<String> withStatus = ConcurrentHashMap.newKeySet();
        CountDownLatch allStatuses = new CountDownLatch(1);
        SharedIndexInformer<Deployment> deploymentInformer =
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .inform(counting(deployments, count, allDeployments));
        SharedIndexInformer<InferenceServiceResource> statusInformer =
            client
                .resources(InferenceServiceResource.class)
                .inNamespace(NS)
                .inform(withStatus(withStatus, count, allStatuses));
        Map<String, Long> cpuBefore = planeCpuTicks();
        long controllerCpuBefore = cpuTicks(controller.pid());
        long auditBefore = Files.exists(audit) ? Files.size(audit) : 0;
        long start = System.nanoTime();
        createAll(client, count);
        long created = System.nanoTime();
        // One deadline for both clocks, five times the 60 s target: a run that cannot finish (a
        // controller stuck on an error it retries) reports how far it got instead of hanging.
        long deadline = start + MAX_RUN.toNanos();
        allDeployments.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        long deployed = System.nanoTime();
        allStatuses.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        long done = System.nanoTime();
        double controllerCpu = (cpuTicks(controller.pid()) - controllerCpuBefore) / TICKS;
        Map<String, Long> cpuAfter = planeCpuTicks();
        String metrics = get(port, "/metrics");
        deploymentInformer.close();
        statusInformer.close();
        long hwmKib = peakRssKib(controller.pid());
        controller.destroy();
        controller.waitFor();
        long[] heap = heapFromGcLog(gcLog);
        Map<String, Integer> requests = requestsByKind(audit, auditBefore);
        System.out.printf(
            Locale.ROOT,
            "count=%d%ncreated_s=%.2f%nall_deployments_s=%.2f%ndeployments=%d%n"
                + "all_statuses_s=%.2f%nstatuses=%d%n"
                + "peak_heap_used_mib=%d%npeak_heap_after_gc_mib=%d%nheap_committed_mib=%d%n"
                + "peak_rss_mib=%d%ncontroller_cpu_s=%.1f%napiserver_cpu_s=%.1f%netcd_cpu_s=%.1f%n"
                + "controller_manager_cpu_s=%.1f%n"
                + "api_requests=%d%napi_requests_by=%s%nplans=%.0f%nplan_s=%.2f%nreconciles=%.0f%n"
                + "reconcile_s=%.2f%nkubernetes=%s%n",
            count,
            (created - start) / 1e9,
            (deployed - start) / 1e9,
            deployments.get(),
            (done - start) / 1e9,
            withStatus.size(),
            heap[0],
            heap[1],
            heap[2],
            hwmKib / 1024,
            controllerCpu,
            cpuDelta(cpuBefore, cpuAfter, "kube-apiserver"),
            cpuDelta(cpuBefore, cpuAfter, "etcd"),
            cpuDelta(cpuBefore, cpuAfter, "kube-controller-manager"),
            requests.values().stream().mapToInt(Integer::intValue).sum(),
            requests.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(",")),
            metric(metrics, "stowage_plan_duration_seconds_count"),
            metric(metrics, "stowage_plan_duration_seconds_sum"),
            metric(metrics, "stowage_reconcile_outcomes_total"),
            metric(metrics, "reconciliations_execution_duration_seconds_sum"),
            binaries.version());
      } finally {
        controller.destroyForcibly();
      }
    }
  }

  /**
   * deploy/ as the README installs it ({@code kubectl apply -k}, the model-namespace RoleBinding in
   * the benchmark's namespace), the reference runtime, and the S3 Secret and ServiceAccount.
   */
  private static void install(KubeControlPlane plane, KubernetesClient client) {
    String deploy = Fixtures.deploy().toAbsolutePath().toString();
    try {
      plane.kubectl("apply", "-k", deploy);
    } catch (IllegalStateException firstRun) {
      // A fresh cluster may not serve ClusterStorageContainer yet (README): apply again.
      plane.kubectl("wait", "--for=condition=Established", "--timeout=120s", "crd", "--all");
      plane.kubectl("apply", "-k", deploy);
    }
    plane.kubectl("create", "namespace", NS);
    plane.kubectl(
        "apply",
        "-n",
        NS,
        "-f",
        Fixtures.deploy().resolve("model-namespace/rolebinding.yaml").toString());
    for (ObjectNode doc :
        Fixtures.documents(Fixtures.examples().resolve("runtimes/aml-vllm-0.11.2-cpu.yaml"))) {
      ((ObjectNode) doc.get("metadata")).put("namespace", NS);
      Fixtures.create(client, doc);
    }
    for (ObjectNode doc : Fixtures.documents(Fixtures.examples().resolve("s3/credentials.yaml"))) {
      ((ObjectNode) doc.get("metadata")).put("namespace", NS);
      Fixtures.create(client, doc);
    }
  }

  /** An audit log of the controller's ServiceAccount's requests, nobody else's. */
  private static List<String> auditFlags(Path work, Path log) throws IOException {
    Path policy = work.resolve("audit-policy.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: [RequestReceived]
        rules:
        - level: Metadata
          users: ["%s"]
        - level: None
        """
            .formatted(CONTROLLER_USER));
    Files.deleteIfExists(log);
    return List.of("--audit-policy-file=" + policy, "--audit-log-path=" + log);
  }

  /**
   * The controller's requests from {@code offset} on, by verb and resource ({@code apply
   * deployments}); one per audit ID (a watch has a ResponseStarted and a ResponseComplete event).
   */
  private static Map<String, Integer> requestsByKind(Path log, long offset) throws IOException {
    Map<String, Integer> byKind = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    try (BufferedReader in = Files.newBufferedReader(log)) {
      in.skip(offset);
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        if (!CONTROLLER_USER.equals(event.at("/user/username").asText())
            || !seen.add(event.path("auditID").asText())) {
          continue;
        }
        String verb = event.path("verb").asText();
        if (verb.equals("patch") && event.path("requestURI").asText().contains("fieldManager=")) {
          verb = "apply";
        }
        String resource = event.at("/objectRef/resource").asText("-");
        String sub = event.at("/objectRef/subresource").asText("");
        String kind = verb + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
        byKind.merge(kind, 1, Integer::sum);
      }
    }
    return byKind;
  }

  private static Process startController(
      String launcher,
      KubeControlPlane plane,
      KubernetesClient client,
      String token,
      Path gcLog,
      Path work,
      int port)
      throws IOException {
    // The env of deploy/'s Deployment as the API server holds it, its fieldRefs resolved for a Pod
    // named as below; then the namespaces narrowed to the benchmark's, the HTTP port moved off
    // 8080 (which the host may have taken), warnings only, and a GC log for the heap figures.
    Container container =
        client
            .apps()
            .deployments()
            .inNamespace(SYSTEM)
            .withName(DEPLOYMENT)
            .require()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : container.getEnv()) {
      env.put(e.getName(), e.getValue() != null ? e.getValue() : fieldOfThePod(e));
    }
    env.put("STOWAGE_NAMESPACES", NS);
    env.put("STOWAGE_HTTP_PORT", Integer.toString(port));
    env.put("STOWAGE_LOG_LEVEL", "WARN");
    env.put("STOWAGE_JAVA_OPTS", "-Xmx256m -Xlog:gc:file=" + gcLog);
    ProcessBuilder pb =
        PodEnvironment.processBuilder(
            List.of(launcher, "controller"),
            env,
            POD,
            plane.url(),
            new PodEnvironment.ServiceAccount(SYSTEM, token, plane.caCertificatePem()),
            work.resolve("pod"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(work.resolve("controller.log").toFile());
    return pb.start();
  }

  /** What the kubelet puts in a {@code fieldRef} variable of the benchmark's controller Pod. */
  private static String fieldOfThePod(EnvVar e) {
    String field =
        e.getValueFrom() == null || e.getValueFrom().getFieldRef() == null
            ? ""
            : e.getValueFrom().getFieldRef().getFieldPath();
    return switch (field) {
      case "metadata.name" -> POD;
      case "metadata.namespace" -> SYSTEM;
      default -> throw new IllegalStateException("cannot resolve env " + e.getName() + ": " + e);
    };
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The sum of a Prometheus metric's samples over all its label sets (0 when absent). */
  private static double metric(String exposition, String name) {
    double sum = 0;
    for (String line : exposition.split("\n", -1)) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Waits for {@code /readyz}. */
  private static void waitReady(Process controller, int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!controller.isAlive()) {
        throw new IllegalStateException("the controller exited with " + controller.exitValue());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the controller did not become ready within 60 s");
  }

  private static void createAll(KubernetesClient client, int count) throws Exception {
    String[] examples = {"s3", "pvc", "oci"};
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(
          pool.submit(
              () -> {
                ObjectNode doc = Fixtures.example(examples[n % 3] + "/inferenceservice.yaml");
                ObjectNode meta = (ObjectNode) doc.get("metadata");
                meta.put("name", examples[n % 3] + "-" + n);
                meta.put("namespace", NS);
                Fixtures.create(client, doc);
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
  }

  private static ResourceEventHandler<Deployment> counting(
      AtomicInteger count, int wanted, CountDownLatch all) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Deployment d) {
        if (count.incrementAndGet() >= wanted) {
          all.countDown();
        }
      }

      @Override
      public void onUpdate(Deployment before, Deployment after) {}

      @Override
      public void onDelete(Deployment d, boolean unknown) {}
    };
  }

  /** Counts InferenceServices whose status has its URL: the controller wrote their status. */
  private static ResourceEventHandler<InferenceServiceResource> withStatus(
      Set<String> names, int wanted, CountDownLatch all) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(InferenceServiceResource isvc) {
        see(isvc);
      }

      @Override
      public void onUpdate(InferenceServiceResource before, InferenceServiceResource after) {
        see(after);
      }

      @Override
      public void onDelete(InferenceServiceResource isvc, boolean unknown) {}

      private void see(InferenceServiceResource isvc) {
        if (!ServingJson.tree(isvc).at("/status/url").asText().isEmpty()
            && names.add(isvc.getMetadata().getName())
            && names.size() >= wanted) {
          all.countDown();
        }
      }
    };
  }

  /** VmHWM of the process and its children (the launcher execs java, so it is one process). */
  private static long peakRssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** User plus system CPU of a process so far, in clock ticks, from {@code /proc/PID/stat}. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // Fields after the command name, which is in parentheses and may contain spaces.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ", -1);
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
  }

  /**
   * CPU ticks of the control plane's processes (children of this JVM), by binary name: etcd,
   * kube-apiserver, kube-controller-manager.
   */
  private static Map<String, Long> planeCpuTicks() throws IOException {
    Map<String, Long> ticks = new TreeMap<>();
    for (ProcessHandle child : ProcessHandle.current().children().toList()) {
      String name =
          child.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
      try {
        ticks.merge(name, cpuTicks(child.pid()), Long::sum);
      } catch (IOException gone) {
        // exited meanwhile
      }
    }
    return ticks;
  }

  private static double cpuDelta(Map<String, Long> before, Map<String, Long> after, String name) {
    return (after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L)) / TICKS;
  }

  /** {max used before a GC, max live after a GC, max committed}, MiB, from -Xlog:gc. */
  private static long[] heapFromGcLog(Path log) throws IOException {
    long before = 0;
    long after = 0;
    long committed = 0;
    for (String line : Files.readAllLines(log)) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        before = Math.max(before, Long.parseLong(m.group(1)));
        after = Math.max(after, Long.parseLong(m.group(2)));
        committed = Math.max(committed, Long.parseLong(m.group(3)));
      }
    }
    return new long[] {before, after, committed};
  }
}
