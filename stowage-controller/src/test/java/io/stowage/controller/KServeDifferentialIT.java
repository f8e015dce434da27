package io.stowage.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stowage.serving.PlanResult;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.ServingPlanner;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.manifest.ManifestException;
import io.stowage.serving.manifest.ManifestReader;
import io.stowage.serving.manifest.Manifests;
import io.stowage.serving.workload.PodRevision;
import io.stowage.testkit.KServeBuild;
import io.stowage.testkit.KubeBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KServe itself as the oracle: the same manifests applied to KServe's own manager (its controller
 * makes the Deployment in Standard mode, kube-controller-manager the Pod, KServe's pod webhook
 * mutates it) and planned by Stowage's planner (what {@code stowage render} and the controller
 * apply). For a case both serve, the Pod specs are compared path by path ({@link PodView}), and so
 * are the Deployment's metadata, selector and strategy, the Service and the HPA ({@link
 * WorkloadView}); for an invalid one, that both refuse it (KServe at admission, in its controller
 * or in its pod webhook; Stowage with a plan error), not the wording.
 *
 * <p>One case is one entry of {@link #cases()} and, for a variant, one file of manifests in {@link
 * DifferentialCase#VARIANTS}. Every difference is either fixed or in {@link #DELIBERATE}, each
 * entry documented in docs/compatibility.md ("Checked against KServe itself"): a new difference
 * fails the test, and so does an allowed one that went away (the list stays short and true).
 */
class KServeDifferentialIT {
  static final String NS = "demo-space";
  static final Path WORK = Path.of("target", "kserve-cluster").toAbsolutePath();
  private static final String INIT = "/initContainers/storage-initializer";
  private static final String INIT_ENV = INIT + "/env/";

  /** Per case: the paths that differ on purpose. See docs/compatibility.md. */
  static final Map<String, Set<String>> DELIBERATE =
      Map.of(
          "s3", hardened(INIT),
          // Settings from Secret data are referenced, not copied into the Pod.
          "s3-settings-in-secret-data",
              union(
                  referenced("S3_ENDPOINT"),
                  referenced("S3_USE_HTTPS"),
                  referenced("AWS_DEFAULT_REGION"),
                  Set.of(INIT_ENV + "AWS_ENDPOINT_URL/value")),
          // KServe's html/template HTML-escapes annotation values ("Q&amp;A").
          "runtime-auto-select-templates", Set.of("/containers/kserve-container/args/4"),
          "oci",
              union(
                  hardened("/containers/modelcar"),
                  hardened("/initContainers/modelcar-init"),
                  Set.of("/initContainers/modelcar-init/securityContext/runAsUser")));

  /**
   * In every case both serve: the pod template's {@code storage.stowage.io/revision}, Stowage's own
   * (docs/storage-policy/fail-fast.md: the revision a permanent initializer failure stops).
   */
  static final Set<String> EVERY_CASE =
      Set.of("/deployment/template/annotations/" + PodRevision.ANNOTATION);

  /**
   * The containers Stowage adds to a pod that passes the {@code restricted} Pod Security Standard
   * get a restricted security context; KServe's get none (docs/compatibility.md, the planner's
   * "Deliberately different" table, the row on {@code restricted}).
   */
  static Set<String> hardened(String container) {
    String context = container + "/securityContext";
    return Set.of(
        context + "/allowPrivilegeEscalation",
        context + "/capabilities/drop/0",
        context + "/runAsNonRoot");
  }

  /**
   * An S3 setting found in the Secret's data: KServe copies the value into the Pod, Stowage
   * references the Secret's key (docs/compatibility.md, the planner's "Deliberately different").
   */
  static Set<String> referenced(String variable) {
    String env = INIT_ENV + variable;
    return Set.of(
        env + "/value", env + "/valueFrom/secretKeyRef/key", env + "/valueFrom/secretKeyRef/name");
  }

  @SafeVarargs
  static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }

  /**
   * Every case: the reference document's three examples as written, then one entry per variant (its
   * manifests are {@code kserve-differential/<name>.yaml}), with the path of KServe's Pod that
   * shows what the case is about, or as refused.
   */
  static Stream<DifferentialCase> cases() {
    Path rt = runtime();
    Path ex = Fixtures.examples();
    return Stream.of(
        DifferentialCase.example(
            "s3",
            NS,
            INIT_ENV + "AWS_ACCESS_KEY_ID/valueFrom/secretKeyRef/name",
            rt,
            ex.resolve("s3/credentials.yaml"),
            ex.resolve("s3/inferenceservice.yaml")),
        DifferentialCase.example(
            "pvc",
            NS,
            "/volumes/kserve-pvc-source/persistentVolumeClaim/claimName",
            rt,
            ex.resolve("pvc/inferenceservice.yaml")),
        DifferentialCase.example(
            "oci", NS, "/containers/modelcar/image", rt, ex.resolve("oci/inferenceservice.yaml")),
        // Every S3 Secret annotation.
        DifferentialCase.served(rt, "s3-endpoint-https", INIT_ENV + "AWS_ENDPOINT_URL/value"),
        DifferentialCase.served(rt, "s3-endpoint-http", INIT_ENV + "S3_USE_HTTPS/value"),
        DifferentialCase.served(rt, "s3-usehttps-1", INIT_ENV + "AWS_ENDPOINT_URL/value"),
        DifferentialCase.served(
            rt,
            "s3-usehttps-0-without-endpoint",
            INIT_ENV + "AWS_SECRET_ACCESS_KEY/valueFrom/secretKeyRef/name"),
        DifferentialCase.served(rt, "s3-region", INIT_ENV + "AWS_DEFAULT_REGION/value"),
        DifferentialCase.served(rt, "s3-verifyssl-0", INIT_ENV + "S3_VERIFY_SSL/value"),
        DifferentialCase.served(rt, "s3-cabundle", INIT_ENV + "AWS_CA_BUNDLE/value"),
        DifferentialCase.served(
            rt, "s3-cabundle-configmap", "/volumes/cabundle-cert/configMap/name"),
        DifferentialCase.served(rt, "s3-anonymous", INIT_ENV + "awsAnonymousCredential/value"),
        DifferentialCase.served(rt, "s3-virtual-bucket", INIT_ENV + "S3_USER_VIRTUAL_BUCKET/value"),
        DifferentialCase.served(rt, "s3-settings-in-secret-data", INIT_ENV + "S3_ENDPOINT/value"),
        // Credentials beyond one S3 Secret.
        DifferentialCase.served(
            rt,
            "service-account-several-secrets",
            INIT_ENV + "HF_TOKEN/valueFrom/secretKeyRef/name"),
        DifferentialCase.refused(rt, "service-account-missing-secret"),
        DifferentialCase.served(rt, "hf-token", INIT_ENV + "HF_TOKEN/valueFrom/secretKeyRef/key"),
        DifferentialCase.served(rt, "https-uri", INIT + "/args/0"),
        // Claims, modelcars, several URIs, a storage container of its own.
        DifferentialCase.served(
            rt,
            "pvc-sub-path",
            "/containers/kserve-container/volumeMounts/kserve-pvc-source@/mnt/models/subPath"),
        DifferentialCase.served(
            rt,
            "pvc-writable",
            "/containers/kserve-container/volumeMounts/kserve-pvc-source@/mnt/models/mountPath"),
        DifferentialCase.served(rt, "oci-digest", "/initContainers/modelcar-init/image"),
        DifferentialCase.served(rt, "storage-uris", INIT + "/args/3"),
        DifferentialCase.served(rt, "storage-container-custom-scheme", INIT + "/image"),
        DifferentialCase.served(rt, "storage-container-by-name", INIT + "/resources/limits/memory"),
        // Runtime resolution and the merge of predictor.model over the runtime's container.
        DifferentialCase.served(
            rt, "runtime-namespaced-shadows-cluster", "/containers/kserve-container/image"),
        DifferentialCase.served(
            rt, "runtime-auto-select-templates", "/containers/kserve-container/args/2"),
        DifferentialCase.served(
            rt, "runtime-auto-select-priority", "/containers/kserve-container/image"),
        DifferentialCase.served(
            rt, "model-container-overlay", "/containers/kserve-container/env/EXTRA_FLAG/value"),
        // Invalid specs.
        DifferentialCase.refused(rt, "invalid-name-leading-digit"),
        DifferentialCase.refused(rt, "invalid-container-name"),
        DifferentialCase.refused(rt, "invalid-storage-uri-and-uris"),
        DifferentialCase.refused(rt, "invalid-relative-mount-path"),
        DifferentialCase.refused(rt, "invalid-min-above-max"),
        DifferentialCase.refused(rt, "invalid-autoscaler-class"),
        DifferentialCase.refused(rt, "invalid-runtime-missing"),
        DifferentialCase.refused(rt, "invalid-runtime-disabled"),
        DifferentialCase.refused(rt, "invalid-protocol"),
        DifferentialCase.refused(rt, "invalid-model-format"),
        DifferentialCase.refused(rt, "invalid-storage-scheme"),
        DifferentialCase.refused(rt, "invalid-storage-container-name"));
  }

  static RealCluster cluster;
  static KServeManager kserve;
  static KServeBuild build;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    Optional<KubeBinaries> binaries = KubeBinaries.needed();
    Optional<KServeBuild> found = KServeBuild.needed();
    assumeTrue(binaries.isPresent(), "no Kubernetes binaries: run e2e/k8s/build.sh");
    assumeTrue(found.isPresent(), "no KServe manager: run e2e/kserve/build.sh");
    build = found.get();
    cluster = RealCluster.bare(binaries.get(), WORK.resolve("plane"));
    client = cluster.client();
    cluster.kubectl("create", "namespace", NS);
    kserve = KServeManager.start(build, cluster.plane(), WORK.resolve("kserve"), c -> c);
    System.out.println("differential tests against KServe " + kserve.version());
  }

  @AfterAll
  static void stop() {
    if (kserve != null) {
      kserve.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void stowageAgreesWithKServe(DifferentialCase c) throws Exception {
    Outcome byKServe = kserve(c);
    Outcome byStowage = stowage(c);
    System.out.println("case " + c + ": KServe " + byKServe + "; Stowage " + byStowage);
    String wired = c.wired();
    if (wired == null) {
      assertThat(byKServe).as("KServe on invalid case %s", c).isInstanceOf(Outcome.Refused.class);
      assertThat(byStowage)
          .as("Stowage on invalid case %s (KServe: %s)", c, byKServe)
          .isInstanceOf(Outcome.Refused.class);
      return;
    }
    assertThat(byKServe).as("KServe on case %s", c).isInstanceOf(Outcome.Served.class);
    assertThat(byStowage).as("Stowage on case %s", c).isInstanceOf(Outcome.Served.class);
    Map<String, String> kservePod = view((Outcome.Served) byKServe);
    Map<String, String> stowagePod = view((Outcome.Served) byStowage);
    // Not vacuous: what each case is about is in KServe's Pod (and so compared).
    assertThat(kservePod)
        .as("KServe's Pod and objects of case %s", c)
        .containsKeys(wired, "/deployment/selector/matchLabels/app", "/service/selector/app");
    Map<String, String> report = new TreeMap<>();
    for (String path : PodView.differences(kservePod, stowagePod)) {
      report.put(path, "KServe " + kservePod.get(path) + " | Stowage " + stowagePod.get(path));
    }
    assertThat(report.keySet())
        .as("differences from KServe %s in case %s: %s", kserve.version(), c, report)
        .isEqualTo(union(EVERY_CASE, DELIBERATE.getOrDefault(c.name(), Set.of())));
  }

  /** A variant's file that no case names would never run. */
  @Test
  void everyVariantFileIsACase() throws IOException {
    Set<String> named =
        cases().map(DifferentialCase::name).collect(Collectors.toCollection(TreeSet::new));
    try (Stream<Path> files = Files.list(DifferentialCase.VARIANTS)) {
      Set<String> present =
          files
              .map(f -> f.getFileName().toString().replaceFirst("\\.yaml$", ""))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(named).containsAll(present);
    }
    assertThat(DELIBERATE.keySet()).as("allow-list entries name cases").isSubsetOf(named);
  }

  /**
   * Known, not deliberate (docs/compatibility.md, "Checked against KServe itself"): a runtime whose
   * container uses {@code {{ index .Annotations "key" }}} is refused by KServe's controller and
   * rendered by Stowage. This test pins the disagreement so that it cannot grow unseen; once
   * Stowage refuses it too, turn the last assertion around.
   */
  @Test
  void aQuotedIndexInARuntimeTemplateIsWhereKServeAndStowageDisagree() throws Exception {
    String runtime =
        Files.readString(
                Fixtures.examples().resolve("runtimes/aml-vllm-0.11.2-cpu.yaml"),
                StandardCharsets.UTF_8)
            .replace("kind: ClusterServingRuntime", "kind: ServingRuntime")
            .replace("name: aml-vllm-0.11.2-cpu", "name: quoted-index\n  namespace: " + NS);
    String isvc =
        Files.readString(
                Fixtures.examples().resolve("pvc/inferenceservice.yaml"), StandardCharsets.UTF_8)
            .replace("name: pvc-demo-1", "name: quoted-index")
            .replace("runtime: aml-vllm-0.11.2-cpu", "runtime: quoted-index");
    Path runtimeFile = WORK.resolve("quoted-index-runtime.yaml");
    Path isvcFile = WORK.resolve("quoted-index-isvc.yaml");
    Files.writeString(runtimeFile, runtime, StandardCharsets.UTF_8);
    Files.writeString(isvcFile, isvc, StandardCharsets.UTF_8);
    cluster.kubectl("apply", "-f", runtimeFile.toString(), "-f", isvcFile.toString());
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String log = Files.readString(kserve.log(), StandardCharsets.UTF_8);
              return log.contains("\"Name\":\"quoted-index\"")
                  && log.contains("failed to replace placeholders in serving runtime quoted-index");
            });
    assertThat(client.apps().deployments().inNamespace(NS).withName("quoted-index-predictor").get())
        .as("KServe creates no Deployment")
        .isNull();
    assertThat(plan(NS, List.of(runtimeFile, isvcFile)))
        .as("Stowage renders it")
        .isInstanceOf(PlanResult.Planned.class);
  }

  /**
   * The examples' runtime, but with {@code MODEL_NAME} as a plain value: KServe v0.20.0 cannot
   * execute its {@code {{ index .Annotations "aml-model-repo" }}} (it parses the container's JSON
   * as a Go template, so the quotes arrive escaped: "unexpected \"\\\" in operand") and creates no
   * Deployment, while Stowage renders it. That difference is {@link
   * #aQuotedIndexInARuntimeTemplateIsWhereKServeAndStowageDisagree}.
   */
  static Path runtime() {
    try {
      String shipped =
          Files.readString(
              Fixtures.examples().resolve("runtimes/aml-vllm-0.11.2-cpu.yaml"),
              StandardCharsets.UTF_8);
      String plain = shipped.replace(QUOTED_INDEX, "Qwen2.5-0.5B-Instruct");
      assertThat(plain).as("the runtime fixture's quoted index").isNotEqualTo(shipped);
      Files.createDirectories(WORK);
      Path file = WORK.resolve("runtime-plain-model-name.yaml");
      Files.writeString(file, plain, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final String QUOTED_INDEX = "{{ index .Annotations \"aml-model-repo\" }}";

  /** What one side made of a case. */
  sealed interface Outcome {
    /** The InferenceService is served by a Pod of this spec. */
    record Served(JsonNode podSpec, Map<String, String> workload) implements Outcome {
      @Override
      public String toString() {
        return "served";
      }
    }

    /** The InferenceService is refused: by what, and the first line of why. */
    record Refused(String by, String why) implements Outcome {
      @Override
      public String toString() {
        return "refused by its " + by + ": " + why;
      }
    }
  }

  /**
   * KServe: the case's namespace, the files applied in order, then the first of: the Pod its
   * webhook mutated; a refusal at admission (kubectl fails), by its controller (a Warning event on
   * the InferenceService and no Deployment) or by its pod webhook (the Deployment's
   * ReplicaFailure).
   */
  private static Outcome kserve(DifferentialCase c) {
    String isvc = isvcName(c);
    ensureNamespace(c.namespace());
    for (Path file : c.files()) {
      try {
        cluster.kubectl("apply", "-n", c.namespace(), "-f", file.toString());
      } catch (IllegalStateException refused) {
        return new Outcome.Refused("admission", lastLine(refused.getMessage()));
      }
    }
    return await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> kserveOutcome(c.namespace(), isvc), o -> o != null);
  }

  private static @Nullable Outcome kserveOutcome(String namespace, String isvc) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel("serving.kserve.io/inferenceservice", isvc)
            .list()
            .getItems();
    Deployment deployment =
        client.apps().deployments().inNamespace(namespace).withName(isvc + "-predictor").get();
    Service service = client.services().inNamespace(namespace).withName(isvc + "-predictor").get();
    if (!pods.isEmpty() && deployment != null && service != null) {
      return new Outcome.Served(
          ServingJson.tree(pods.get(0).getSpec()),
          WorkloadView.of(deployment, service, kserveAutoscaler(namespace, isvc)));
    }
    if (deployment != null) {
      for (DeploymentCondition condition : deployment.getStatus().getConditions()) {
        if (condition.getType().equals("ReplicaFailure") && condition.getStatus().equals("True")) {
          return new Outcome.Refused("pod webhook", lastLine(condition.getMessage()));
        }
      }
      return null;
    }
    for (Event event : client.v1().events().inNamespace(namespace).list().getItems()) {
      if (event.getType().equals("Warning")
          && event.getInvolvedObject().getKind().equals("InferenceService")
          && event.getInvolvedObject().getName().equals(isvc)
          // An update that lost a race is retried, not a refusal.
          && !event.getMessage().contains("the object has been modified")) {
        return new Outcome.Refused("controller", lastLine(event.getMessage()));
      }
    }
    return null;
  }

  /**
   * Stowage: the planner on the same files and the same ConfigMap, its Deployment through a server
   * dry run (so the API server's field defaults apply as they did to KServe's Pod).
   */
  private static Outcome stowage(DifferentialCase c) throws Exception {
    PlanResult result = plan(c.namespace(), c.files());
    if (result instanceof PlanResult.Rejected rejected) {
      return new Outcome.Refused("planner", rejected.errors().toString());
    }
    PlannedWorkload workload = ((PlanResult.Planned) result).workload();
    Deployment deployment = renamed(workload.deployment());
    Deployment defaulted =
        client
            .apps()
            .deployments()
            .inNamespace(c.namespace())
            .resource(deployment)
            .dryRun()
            .create();
    Service service =
        client
            .services()
            .inNamespace(c.namespace())
            .resource(renamed(workload.service()))
            .dryRun()
            .create();
    HorizontalPodAutoscaler hpa =
        workload
            .hpa()
            .map(
                h ->
                    client
                        .autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace(c.namespace())
                        .resource(renamed(h))
                        .dryRun()
                        .create())
            .orElse(null);
    return new Outcome.Served(
        ServingJson.tree(defaulted.getSpec().getTemplate().getSpec()),
        WorkloadView.of(defaulted, service, hpa));
  }

  /**
   * The planned object under another name, so that the dry run does not meet KServe's object of the
   * same name (the HPA's target keeps naming the Deployment as planned).
   */
  private static <T extends HasMetadata> T renamed(T object) {
    object.getMetadata().setName("stowage-" + object.getMetadata().getName());
    return object;
  }

  /** Pod, Deployment, Service and HPA flattened into one map of paths ({@link PodView}). */
  private static Map<String, String> view(Outcome.Served served) {
    Map<String, String> all = new TreeMap<>(PodView.of(served.podSpec()));
    all.putAll(served.workload());
    return all;
  }

  /**
   * KServe's HPA, which its reconcile creates after the Deployment and Service: given a few seconds
   * once those exist, then taken as absent.
   */
  private static @Nullable HorizontalPodAutoscaler kserveAutoscaler(String namespace, String isvc) {
    try {
      return await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  client
                      .autoscaling()
                      .v2()
                      .horizontalPodAutoscalers()
                      .inNamespace(namespace)
                      .withName(isvc + "-predictor")
                      .get(),
              h -> h != null);
    } catch (org.awaitility.core.ConditionTimeoutException none) {
      return null;
    }
  }

  private static String isvcName(DifferentialCase c) {
    List<InferenceService> all = read(c.namespace(), c.files()).inferenceServices();
    assertThat(all).as("InferenceServices of case %s", c).hasSize(1);
    return all.get(0).name();
  }

  /** Stowage's planner on {@code files} and the same ConfigMap KServe was given. */
  private static PlanResult plan(String namespace, List<Path> files) throws Exception {
    ManifestReader reader = new ManifestReader(namespace);
    ConfigMap config =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(KServeManager.CONFIG_MAP)
            .withNamespace(KServeManager.NAMESPACE)
            .endMetadata()
            .withData(KServeManager.standardConfig(build))
            .build();
    Manifests all =
        read(namespace, files)
            .plus(reader.read("config", ServingJson.mapper().writeValueAsString(config)));
    InferenceService service = all.inferenceServices().get(0);
    return ServingPlanner.plan(service, all.snapshot());
  }

  private static Manifests read(String namespace, List<Path> files) {
    ManifestReader reader = new ManifestReader(namespace);
    Manifests all = Manifests.empty();
    try {
      for (Path file : files) {
        all =
            all.plus(reader.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ManifestException e) {
      throw new IllegalStateException("a case's manifests do not read: " + e.getMessage(), e);
    }
    return all;
  }

  /** A namespace of the case's own, once its default ServiceAccount exists (Pods need it). */
  private static void ensureNamespace(String namespace) {
    if (client.namespaces().withName(namespace).get() == null) {
      cluster.kubectl("create", "namespace", namespace);
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                client.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
  }

  private static String lastLine(@Nullable String text) {
    List<String> lines = new ArrayList<>();
    for (String line : String.valueOf(text).lines().toList()) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
