package io.stowage.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stowage.storage.initializer.Pair;
import io.stowage.storage.s3.CredentialsSource;
import io.stowage.storage.s3.S3Credentials;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.testkit.KServeBuild;
import io.stowage.testkit.KubeBinaries;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stowage's initializer inside an unchanged KServe: KServe's own manager and pod webhook (as in
 * {@link KServeDifferentialIT}) with the manifests of docs/kserve-initializer.md, read from
 * docs/examples/kserve-initializer/ so the page is what is tested: way 1 patches the ConfigMap's
 * {@code storageInitializer.image}, way 2 replaces the ClusterStorageContainer {@code default}. The
 * Pods KServe's webhook makes must reference {@code stowage-initializer} with KServe's own
 * arguments and environment, and exactly those must be accepted by {@code stowage initialize}'s
 * parsing ({@link InitContainerRun}: the container as the kubelet would start it, then {@link
 * Pair#fromArguments} and {@link InitializerSettings#fromEnvironment}, what the command does before
 * it fetches anything). No model is fetched: no node runs the Pods.
 */
class KServeStowageInitializerIT {
  static final Path EXAMPLES = Path.of("..", "docs", "examples", "kserve-initializer");
  static final Path PAGE = Path.of("..", "docs", "kserve-initializer.md");
  static final Path WORK = Path.of("target", "kserve-initializer-cluster").toAbsolutePath();
  static final String INIT = "storage-initializer";
  static final ObjectMapper JSON = new ObjectMapper();

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
    kserve = KServeManager.start(build, cluster.plane(), WORK.resolve("kserve"), c -> c);
    cluster.kubectl("apply", "-f", KServeDifferentialIT.runtime().toString());
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

  /**
   * Way 1. The page's patch is KServe's shipped {@code storageInitializer} with only the image
   * changed, and that image is the one deploy/ ships: the page cannot drift from either.
   */
  @Test
  void theConfigMapsInitializerImageGivesPodsThatStowageInitializeAccepts() throws Exception {
    Path patch = EXAMPLES.resolve("storage-initializer-config.yaml");
    ObjectNode documented = storageInitializer(patch);
    ObjectNode shipped =
        (ObjectNode) JSON.readTree(KServeManager.standardConfig(build).get("storageInitializer"));
    assertThat(documented.path("image").asText()).isEqualTo(deployedImage());
    JsonNode documentedRest = documented.deepCopy().without("image");
    JsonNode shippedRest = shipped.deepCopy().without("image");
    assertThat(documentedRest)
        .as("the page's storageInitializer is KServe %s's but for the image", kserve.version())
        .isEqualTo(shippedRest);

    cluster.kubectl(
        "patch",
        "configmap",
        KServeManager.CONFIG_MAP,
        "-n",
        KServeManager.NAMESPACE,
        "--type",
        "merge",
        "--patch-file",
        patch.toString());
    try {
      acceptedByStowageInitialize(
          "configmap-s3",
          "s3-endpoint-http",
          List.of("s3://models/Qwen2.5-0.5B-Instruct", "/mnt/models"),
          s -> {
            assertThat(s.s3().endpoint())
                .contains(URI.create("http://minio.minio.svc.cluster.local:9000"));
            assertThat(s.s3().credentials()).isEqualTo(EXAMPLE_KEYS);
          });
      acceptedByStowageInitialize(
          "configmap-uris",
          "storage-uris",
          List.of(
              "s3://models/Qwen2.5-0.5B-Instruct",
              "/mnt/models/target",
              "s3://models/Qwen2.5-0.5B-draft",
              "/mnt/models/draft"),
          s -> assertThat(s.s3().endpoint()).contains(URI.create("http://minio.example.com:9000")));
    } finally {
      ObjectNode restore = JSON.createObjectNode();
      restore.putObject("data").put("storageInitializer", shipped.toString());
      cluster.kubectl(
          "patch",
          "configmap",
          KServeManager.CONFIG_MAP,
          "-n",
          KServeManager.NAMESPACE,
          "--type",
          "merge",
          "-p",
          restore.toString());
    }
  }

  /**
   * Way 2. The page's ClusterStorageContainer has deploy/'s container and URI formats, so what
   * Stowage's own install uses is what KServe users are told to apply.
   */
  @Test
  void aClusterStorageContainerGivesPodsThatStowageInitializeAccepts() throws Exception {
    Path file = EXAMPLES.resolve("clusterstoragecontainer.yaml");
    JsonNode documented = Fixtures.documents(file).get(0).path("spec");
    JsonNode deployed =
        Fixtures.documents(Fixtures.deploy().resolve("storage/default-storage-container.yaml"))
            .get(0)
            .path("spec");
    assertThat(documented.path("container")).isEqualTo(deployed.path("container"));
    assertThat(documented.path("supportedUriFormats"))
        .isEqualTo(deployed.path("supportedUriFormats"));

    cluster.kubectl("apply", "-f", file.toString());
    try {
      Container init =
          acceptedByStowageInitialize(
              "container-s3",
              "s3-verifyssl-0",
              List.of("s3://models/Qwen2.5-0.5B-Instruct", "/mnt/models"),
              s -> {
                assertThat(s.s3().endpoint())
                    .contains(URI.create("https://minio.example.com:9000"));
                assertThat(s.net().tls().verify()).isFalse();
                assertThat(s.s3().credentials()).isEqualTo(EXAMPLE_KEYS);
              });
      // The storage container's fields won over the ConfigMap's, KServe's merge.
      assertThat(init.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(init.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
      acceptedByStowageInitialize(
          "container-hf",
          "hf-token",
          List.of("hf://Qwen/Qwen2.5-0.5B-Instruct", "/mnt/models"),
          s -> assertThat(s.huggingFace().token()).contains("hf_exampletoken"));
    } finally {
      cluster.kubectl("delete", "-f", file.toString());
    }
  }

  /** The page shows the manifests this test applies, each whole, in a code block of its own. */
  @Test
  void thePageShowsExactlyTheManifestsThisTestApplies() throws Exception {
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    for (String name : List.of("storage-initializer-config.yaml", "clusterstoragecontainer.yaml")) {
      String manifest = Files.readString(EXAMPLES.resolve(name), StandardCharsets.UTF_8);
      assertThat(page).as("%s in %s", name, PAGE).contains("```yaml\n" + manifest + "```\n");
    }
  }

  private static final CredentialsSource EXAMPLE_KEYS =
      new CredentialsSource.Static(new S3Credentials("EXAMPLEACCESSKEY", "EXAMPLESECRETKEY", null));

  /**
   * Applies the differential case {@code variant} in {@code namespace}, waits for the Pod KServe's
   * webhook mutated, and checks its initializer: Stowage's image, KServe's arguments {@code args},
   * and the argument and environment parsing of {@code stowage initialize}, whose settings {@code
   * check} looks at.
   */
  private static Container acceptedByStowageInitialize(
      String namespace, String variant, List<String> args, Consumer<InitializerSettings> check) {
    cluster.kubectl("create", "namespace", namespace);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                client.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
    cluster.kubectl(
        "apply",
        "-n",
        namespace,
        "-f",
        DifferentialCase.VARIANTS.resolve(variant + ".yaml").toString());
    Pod pod =
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    client.pods().inNamespace(namespace).list().getItems().stream()
                        .findFirst()
                        .orElse(null),
                p -> p != null);
    Container init =
        pod.getSpec().getInitContainers().stream()
            .filter(c -> c.getName().equals(INIT))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + INIT + " in " + pod.getSpec()));
    assertThat(init.getImage()).as("the initializer's image").isEqualTo(deployedImage());
    assertThat(init.getArgs()).as("KServe's arguments").isEqualTo(args);

    InitContainerRun run = InitContainerRun.of(init, client, namespace);
    List<Pair> pairs = run.pairs();
    assertThat(pairs).extracting(Pair::source).containsExactlyElementsOf(everyOther(args, 0));
    assertThat(pairs)
        .extracting(p -> p.destination().toString())
        .containsExactlyElementsOf(everyOther(args, 1));
    InitializerSettings settings = run.settings();
    check.accept(settings);
    return init;
  }

  private static List<String> everyOther(List<String> list, int from) {
    return java.util.stream.IntStream.range(0, list.size())
        .filter(i -> i % 2 == from)
        .mapToObj(list::get)
        .toList();
  }

  /** The image deploy/ installs as Stowage's initializer. */
  private static String deployedImage() {
    return Fixtures.documents(Fixtures.deploy().resolve("storage/default-storage-container.yaml"))
        .get(0)
        .path("spec")
        .path("container")
        .path("image")
        .asText();
  }

  /** The {@code storageInitializer} JSON of a merge patch of the ConfigMap (a YAML file). */
  private static ObjectNode storageInitializer(Path patch) throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(patch.toFile());
    return (ObjectNode) JSON.readTree(doc.path("data").path("storageInitializer").asText());
  }
}
