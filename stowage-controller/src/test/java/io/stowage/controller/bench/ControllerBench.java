package io.stowage.controller.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.stowage.controller.Fixtures;
import io.stowage.controller.MockCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates N InferenceServices on fabric8's mock API server and measures how long the controller,
 * running as {@code stowage controller} in its own process, takes until every one has its
 * Deployment, and the controller process's peak heap (from its GC log) and peak RSS.
 *
 * <p>Arguments: {@code LAUNCHER COUNT WORKDIR}. Prints one {@code key=value} line per result.
 */
public final class ControllerBench {
  private static final String NS = "bench";
  private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  /**
   * The mock server logs every request at INFO on the console, synchronously; at thousands of
   * requests that would be the harness measuring its own logging. Held here so that the level
   * sticks (JUL keeps loggers weakly).
   */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;

  private ControllerBench() {}

  public static void main(String[] args) throws Exception {
    String launcher = args[0];
    int count = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    Files.createDirectories(work);
    MOCK_LOG.setLevel(Level.WARNING);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      for (String crd : MockCluster.CRDS) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(MockCluster.crd(crd))
            .create();
      }
      Fixtures.createAll(client, "runtimes/aml-vllm-0.11.2-cpu.yaml");
      for (ObjectNode doc :
          Fixtures.documents(Fixtures.examples().resolve("s3/credentials.yaml"))) {
        ((ObjectNode) doc.get("metadata")).put("namespace", NS);
        Fixtures.create(client, doc);
      }
      Path gcLog = work.resolve("controller-gc.log");
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process controller = startController(launcher, server, gcLog, work, port);
      try {
        waitReady(controller, port);
        AtomicInteger deployments = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1);
        SharedIndexInformer<Deployment> informer =
            client.apps().deployments().inNamespace(NS).inform(counting(deployments, count, all));
        long controllerCpuBefore = cpuTicks(controller.pid());
        long harnessCpuBefore = harnessCpuNanos();
        int requestsBefore = server.getRequestCount();
        long start = System.nanoTime();
        createAll(client, count);
        long created = System.nanoTime();
        all.await(10, TimeUnit.MINUTES);
        long done = System.nanoTime();
        double controllerCpu = (cpuTicks(controller.pid()) - controllerCpuBefore) / TICKS;
        double harnessCpu = (harnessCpuNanos() - harnessCpuBefore) / 1e9;
        int requests = server.getRequestCount() - requestsBefore;
        String metrics = get(port, "/metrics");
        informer.close();
        long hwmKib = peakRssKib(controller.pid());
        controller.destroy();
        controller.waitFor();
        long[] heap = heapFromGcLog(gcLog);
        System.out.printf(
            Locale.ROOT,
            "count=%d%ncreated_s=%.2f%nall_deployments_s=%.2f%ndeployments=%d%n"
                + "peak_heap_used_mib=%d%npeak_heap_after_gc_mib=%d%nheap_committed_mib=%d%n"
                + "peak_rss_mib=%d%ncontroller_cpu_s=%.1f%nharness_cpu_s=%.1f%n"
                + "api_requests=%d%nplans=%.0f%nplan_s=%.2f%nreconciles=%.0f%n"
                + "reconcile_s=%.2f%n",
            count,
            (created - start) / 1e9,
            (done - start) / 1e9,
            deployments.get(),
            heap[0],
            heap[1],
            heap[2],
            hwmKib / 1024,
            controllerCpu,
            harnessCpu,
            requests,
            metric(metrics, "stowage_plan_duration_seconds_count"),
            metric(metrics, "stowage_plan_duration_seconds_sum"),
            metric(metrics, "stowage_reconcile_outcomes_total"),
            metric(metrics, "reconciliations_execution_duration_seconds_sum"));
      } finally {
        controller.destroyForcibly();
      }
    } finally {
      server.destroy();
    }
  }

  private static Process startController(
      String launcher, KubernetesMockServer server, Path gcLog, Path work, int port)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            launcher,
            "controller",
            "--namespaces=" + NS,
            "--config-namespace=stowage-system",
            "--no-server-side-apply",
            "--no-leader-election",
            "--http-port=" + port,
            "--threads=8");
    pb.environment().put("KUBERNETES_MASTER", server.url("/"));
    pb.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    pb.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    pb.environment().put("KUBERNETES_NAMESPACE", NS);
    pb.environment().put("STOWAGE_LOG_LEVEL", "WARN");
    pb.environment().put("STOWAGE_JAVA_OPTS", "-Xmx256m -Xlog:gc:file=" + gcLog);
    pb.redirectErrorStream(true);
    pb.redirectOutput(work.resolve("controller.log").toFile());
    return pb.start();
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

  /** CPU time of this JVM (the mock API server and the client creating InferenceServices). */
  private static long harnessCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
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
