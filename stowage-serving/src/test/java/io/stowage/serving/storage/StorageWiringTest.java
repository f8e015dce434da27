package io.stowage.serving.storage;

import static io.stowage.serving.Fixtures.RUNTIME;
import static io.stowage.serving.Fixtures.container;
import static io.stowage.serving.Fixtures.env;
import static io.stowage.serving.Fixtures.initContainer;
import static io.stowage.serving.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.stowage.serving.Examples;
import io.stowage.serving.Fixtures;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference §1: what each kind of storage URI adds to the pod template. */
class StorageWiringTest {

  static String mounts(Container c) {
    StringBuilder out = new StringBuilder();
    for (VolumeMount m : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
      out.append(m.getName()).append('@').append(m.getMountPath());
      if (m.getSubPath() != null) {
        out.append('/').append("subPath=").append(m.getSubPath());
      }
      if (Boolean.TRUE.equals(m.getReadOnly())) {
        out.append(":ro");
      }
      out.append(' ');
    }
    return out.toString().strip();
  }

  static Volume volume(PlannedWorkload w, String name) {
    return pod(w).getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  static Stream<Arguments> modelMounts() {
    return Stream.of(
        Arguments.of("s3://b/m", "", "kserve-provision-location@/mnt/models:ro"),
        Arguments.of(
            "s3://b/m",
            "storage.kserve.io/readonly: 'false'",
            "kserve-provision-location@/mnt/models"),
        Arguments.of(
            "s3://b/m",
            "storage.kserve.io/readonly: 'no'",
            "kserve-provision-location@/mnt/models:ro"),
        Arguments.of("pvc://model-pvc", "", "kserve-pvc-source@/mnt/models:ro"),
        Arguments.of(
            "pvc://model-pvc/models/Qwen2.5-0.5B-Instruct",
            "",
            "kserve-pvc-source@/mnt/models/subPath=models/Qwen2.5-0.5B-Instruct:ro"),
        Arguments.of(
            "pvc://model-pvc/m",
            "storage.kserve.io/readonly: 'false'",
            "kserve-pvc-source@/mnt/models/subPath=m"),
        Arguments.of("oci://quay.io/org/model:v1", "", "kserve-provision-location@/mnt"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modelMounts")
  void theModelContainerMountsTheModel(String uri, String annotations, String expected) {
    PlannedWorkload w = Fixtures.planned(RUNTIME, Fixtures.isvc(uri, annotations, ""));
    assertThat(mounts(container(w, "kserve-container"))).isEqualTo(expected);
  }

  @Test
  void aPvcIsMountedDirectlyWithoutInitContainerOrCredentials() {
    PlannedWorkload w = Fixtures.planned(RUNTIME, Fixtures.isvc("pvc://model-pvc/a/b"));
    assertThat(pod(w).getInitContainers()).isNullOrEmpty();
    Volume v = volume(w, "kserve-pvc-source");
    assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("model-pvc");
    assertThat(v.getPersistentVolumeClaim().getReadOnly()).isNull();
  }

  @Test
  void theStorageInitializerIsKservesAndComesAfterExistingInitContainers() {
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME,
            Fixtures.isvc("s3://b/m", "", "initContainers: [{name: first, image: busybox}]"));
    assertThat(pod(w).getInitContainers())
        .extracting(Container::getName)
        .containsExactly("first", "storage-initializer");
    Container init = initContainer(w, "storage-initializer");
    assertThat(init.getImage()).isEqualTo("kserve/storage-initializer:latest");
    assertThat(init.getArgs()).containsExactly("s3://b/m", "/mnt/models");
    assertThat(init.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(init.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(init.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("100Mi"));
    assertThat(mounts(init)).isEqualTo("kserve-provision-location@/mnt/models");
    assertThat(volume(w, "kserve-provision-location").getEmptyDir()).isNotNull();
    assertThat(volume(w, "kserve-provision-location").getEmptyDir().getMedium()).isNull();
  }

  static Stream<Arguments> caBundles() {
    return Stream.of(
        Arguments.of("demo-space", "", "global-ca-bundle", "/etc/ssl/custom-certs"),
        Arguments.of("kserve", "", "cabundle", "/etc/ssl/custom-certs"),
        Arguments.of(
            "demo-space",
            "serving.kserve.io/s3-cabundle-configmap: my-ca, serving.kserve.io/s3-cabundle:"
                + " /certs/ca.pem",
            "my-ca",
            "/certs"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("caBundles")
  void theCaBundleIsAConfigMapVolumeOnTheInitContainer(
      String namespace, String secretAnnotations, String configMap, String mountPath)
      throws Exception {
    InferenceServiceConfig config =
        InferenceServiceConfig.fromConfigMapData(
            Map.of("storageInitializer", "{\"caBundleConfigMapName\": \"cabundle\"}"));
    String sa =
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: NS}\nsecrets: [{name: c}]"
            .replace("NS", namespace);
    String secret =
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: c, namespace: NS, annotations: {ANNOT}}\n"
                + "data: {AWS_SECRET_ACCESS_KEY: eA==}")
            .replace("NS", namespace)
            .replace("ANNOT", secretAnnotations);
    String isvc =
        Fixtures.isvc("s3://b/m", "", "serviceAccountName: sa")
            .replace("namespace: demo-space", "namespace: " + namespace);
    PlannedWorkload w = Fixtures.planned(config, RUNTIME, sa, secret, isvc);
    Container init = initContainer(w, "storage-initializer");
    assertThat(env(init))
        .contains(
            "CA_BUNDLE_CONFIGMAP_NAME=" + configMap, "CA_BUNDLE_VOLUME_MOUNT_POINT=" + mountPath);
    assertThat(volume(w, "cabundle-cert").getConfigMap().getName()).isEqualTo(configMap);
    assertThat(mounts(init)).endsWith("cabundle-cert@" + mountPath + ":ro");
    assertThat(mounts(container(w, "kserve-container"))).doesNotContain("cabundle");
  }

  static final String CSC =
      """
      apiVersion: serving.kserve.io/v1alpha1
      kind: ClusterStorageContainer
      metadata: {name: NAME}
      spec:
        workloadType: WORKLOAD
        supportsMultiModelDownload: true
        container:
          name: storage-initializer
          image: IMAGE
          imagePullPolicy: IfNotPresent
          resources: {requests: {cpu: 200m}, limits: {memory: 2Gi}}
          securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        supportedUriFormats: [FORMAT]
      DISABLED
      """;

  static String csc(String name, String image, String format, String workload, boolean disabled) {
    return CSC.replace("NAME", name)
        .replace("IMAGE", image)
        .replace("FORMAT", format)
        .replace("WORKLOAD", workload)
        .replace("DISABLED", disabled ? "disabled: true" : "");
  }

  static Stream<Arguments> storageContainers() {
    return Stream.of(
        Arguments.of(
            List.of(csc("default", "csc:1", "{prefix: s3://}", "initContainer", false)), "csc:1"),
        Arguments.of(
            List.of(csc("default", "csc:1", "{regex: \"^s3://b/\"}", "initContainer", false)),
            "csc:1"),
        Arguments.of(
            List.of(csc("default", "csc:1", "{regex: \"b/m$\"}", "initContainer", false)), "csc:1"),
        Arguments.of(
            List.of(csc("default", "csc:1", "{prefix: gs://}", "initContainer", false)),
            "kserve/storage-initializer:latest"),
        Arguments.of(
            List.of(csc("default", "csc:1", "{prefix: s3://}", "initContainer", true)),
            "kserve/storage-initializer:latest"),
        Arguments.of(
            List.of(csc("default", "csc:1", "{prefix: s3://}", "localModelDownloadJob", false)),
            "kserve/storage-initializer:latest"),
        Arguments.of(
            List.of(
                csc("zz-last", "csc:z", "{prefix: s3://}", "initContainer", false),
                csc("aa-first", "csc:a", "{prefix: s3://}", "initContainer", false)),
            "csc:a"));
  }

  @ParameterizedTest
  @MethodSource("storageContainers")
  void theFirstMatchingEnabledStorageContainerByNameIsMergedIn(
      List<String> containers, String image) {
    String[] docs =
        Stream.concat(Stream.of(RUNTIME, Fixtures.isvc("s3://b/m")), containers.stream())
            .toArray(String[]::new);
    // Fixtures.plan takes the first InferenceService, wherever it is.
    Container init = initContainer(Fixtures.planned(docs), "storage-initializer");
    assertThat(init.getImage()).isEqualTo(image);
    if (!image.startsWith("kserve/")) {
      assertThat(init.getImagePullPolicy()).isEqualTo("IfNotPresent");
      assertThat(init.getResources().getRequests()).containsEntry("cpu", new Quantity("200m"));
      assertThat(init.getResources().getRequests()).containsEntry("memory", new Quantity("100Mi"));
      assertThat(init.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
      assertThat(init.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(init.getArgs()).containsExactly("s3://b/m", "/mnt/models");
    }
  }

  /**
   * KServe v0.20's {@code storageContainerName}: the named container, not the first match by name,
   * and the name passed on as KServe's controller passes it to its webhook (KServeDifferentialIT,
   * case storage-container-by-name).
   */
  @Test
  void aNamedStorageContainerIsTakenInsteadOfTheFirstMatch() {
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME,
            Fixtures.isvc("s3://b/m", "", "storageContainerName: zz-named"),
            csc("aa-first", "csc:a", "{prefix: s3://}", "initContainer", false),
            csc("zz-named", "csc:z", "{prefix: s3://}", "initContainer", false));
    assertThat(initContainer(w, "storage-initializer").getImage()).isEqualTo("csc:z");
    assertThat(w.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("internal.serving.kserve.io/storage-container-name", "zz-named");
  }

  static Stream<Arguments> namedStorageContainersThatCannotBeUsed() {
    return Stream.of(
        Arguments.of(
            csc("other", "csc:1", "{prefix: s3://}", "initContainer", false),
            "ClusterStorageContainer \"named\" not found"),
        Arguments.of(
            csc("named", "csc:1", "{prefix: s3://}", "initContainer", true),
            "ClusterStorageContainer \"named\" is disabled"),
        Arguments.of(
            csc("named", "csc:1", "{prefix: s3://}", "localModelDownloadJob", false),
            "ClusterStorageContainer \"named\" has workloadType \"localModelDownloadJob\";"
                + " explicit selection requires \"initContainer\""),
        Arguments.of(
            csc("named", "csc:1", "{prefix: gs://}", "initContainer", false),
            "ClusterStorageContainer \"named\" does not support storageUri \"s3://b/m\""));
  }

  /** KServe's webhook fails the Pod with these; it never falls back to another container. */
  @ParameterizedTest
  @MethodSource("namedStorageContainersThatCannotBeUsed")
  void aNamedStorageContainerThatCannotBeUsedIsAnError(String container, String message) {
    String fallback = csc("aa-fallback", "csc:a", "{prefix: s3://}", "initContainer", false);
    assertThat(
            Fixtures.errors(
                RUNTIME,
                Fixtures.isvc("s3://b/m", "", "storageContainerName: named"),
                container,
                fallback))
        .containsExactly("spec.predictor.storageContainerName: " + message);
  }

  @Test
  void storageUrisUseTheNamedStorageContainerToo() {
    String isvc =
        Fixtures.isvc(
                "",
                "",
                "storageContainerName: zz-named\n"
                    + "storageUris: [{uri: \"s3://b/a\", mountPath: /mnt/models}]")
            .replace("      storageUri: \"\"\n", "");
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME,
            isvc,
            csc("aa-first", "csc:a", "{prefix: s3://}", "initContainer", false),
            csc("zz-named", "csc:z", "{prefix: s3://}", "initContainer", false));
    assertThat(initContainer(w, "storage-initializer").getImage()).isEqualTo("csc:z");
    // As in KServe, the annotation is for a single storageUri only.
    assertThat(w.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey("internal.serving.kserve.io/storage-container-name");
  }

  @Test
  void anUnknownSchemeClaimedByAStorageContainerIsAccepted() {
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME,
            Fixtures.isvc("custom://bucket/m"),
            csc("custom", "custom:1", "{prefix: custom://}", "initContainer", false));
    assertThat(initContainer(w, "storage-initializer").getImage()).isEqualTo("custom:1");
  }

  @Test
  void theUidAnnotationSetsTheInitContainersUser() {
    PlannedWorkload w =
        Fixtures.planned(
            RUNTIME,
            Fixtures.isvc("s3://b/m", "serving.kserve.io/storage-initializer-uid: '1337'", ""));
    assertThat(initContainer(w, "storage-initializer").getSecurityContext().getRunAsUser())
        .isEqualTo(1337L);
  }

  @Test
  void ociIsAModelcarSidecarWithItsInitContainer() {
    PlannedWorkload w = Fixtures.planned(RUNTIME, Fixtures.isvc("oci://quay.io/org/model:v1"));
    assertThat(pod(w).getShareProcessNamespace()).isTrue();
    assertThat(pod(w).getContainers())
        .extracting(Container::getName)
        .containsExactly("kserve-container", "modelcar");
    Container model = container(w, "kserve-container");
    assertThat(env(model)).contains("MODEL_INIT_MODE=async");
    assertThat(model.getSecurityContext().getRunAsUser()).isEqualTo(1010L);
    Container sidecar = container(w, "modelcar");
    assertThat(sidecar.getImage()).isEqualTo("quay.io/org/model:v1");
    assertThat(sidecar.getArgs())
        .containsExactly("sh", "-c", "ln -sf /proc/$$$$/root/models /mnt/models && sleep infinity");
    assertThat(mounts(sidecar)).isEqualTo("kserve-provision-location@/mnt");
    assertThat(sidecar.getResources().getLimits())
        .containsEntry("cpu", new Quantity("10m"))
        .containsEntry("memory", new Quantity("15Mi"));
    assertThat(sidecar.getResources().getRequests()).isEqualTo(sidecar.getResources().getLimits());
    // The runtime is not restricted: KServe's sidecar context, runAsUser only.
    assertThat(sidecar.getSecurityContext().getRunAsUser()).isEqualTo(1010L);
    assertThat(sidecar.getSecurityContext().getAllowPrivilegeEscalation()).isNull();
    Container init = initContainer(w, "modelcar-init");
    assertThat(init.getArgs().get(2))
        .startsWith("echo 'Pre-fetching modelcar quay.io/org/model:v1: '")
        .contains("$$(ls -A /models)");
    assertThat(init.getVolumeMounts()).isNullOrEmpty();
    assertThat(init.getSecurityContext()).isNull();
    assertThat(pod(w).getInitContainers())
        .extracting(Container::getName)
        .containsExactly("modelcar-init");
  }

  @Test
  void ociWithModelcarsDisabledFallsBackToTheStorageInitializer() throws Exception {
    InferenceServiceConfig config =
        InferenceServiceConfig.fromConfigMapData(
            Map.of("storageInitializer", "{\"enableModelcar\": false}"));
    PlannedWorkload w =
        Fixtures.planned(config, RUNTIME, Fixtures.isvc("oci://quay.io/org/model:v1"));
    assertThat(initContainer(w, "storage-initializer").getArgs())
        .containsExactly("oci://quay.io/org/model:v1", "/mnt/models");
  }

  @Test
  void ociAsAnImageVolumeByConfigOrScheme() throws Exception {
    InferenceServiceConfig config =
        InferenceServiceConfig.fromConfigMapData(
            Map.of("storageInitializer", "{\"ociModelMode\": \"native\"}"));
    for (PlannedWorkload w :
        List.of(
            Fixtures.planned(config, RUNTIME, Fixtures.isvc("oci://quay.io/org/model:v1")),
            Fixtures.planned(RUNTIME, Fixtures.isvc("oci+native://quay.io/org/model:v1")))) {
      Volume v = volume(w, "kserve-model-image");
      assertThat(v.getImage().getReference()).isEqualTo("quay.io/org/model:v1");
      assertThat(mounts(container(w, "kserve-container")))
          .isEqualTo("kserve-model-image@/mnt/models/subPath=models:ro");
      assertThat(pod(w).getShareProcessNamespace()).isNull();
      assertThat(pod(w).getInitContainers()).isNullOrEmpty();
      assertThat(pod(w).getContainers()).hasSize(1);
    }
  }

  @Test
  void storageUrisGetOneInitializerAtTheCommonParentAndWholePvcMounts() {
    String isvc =
        Fixtures.isvc("", "", "")
            .replace("      storageUri: \"\"\n", "")
            .replace(
                "  predictor:\n",
                """
                  predictor:
                    storageUris:
                      - {uri: "s3://b/target", mountPath: /mnt/models/target}
                      - {uri: "hf://org/draft", mountPath: /mnt/models/draft}
                      - {uri: "pvc://data/ignored/path", mountPath: /mnt/data/}
                """);
    PlannedWorkload w = Fixtures.planned(RUNTIME, isvc);
    Container init = initContainer(w, "storage-initializer");
    assertThat(init.getArgs())
        .containsExactly(
            "s3://b/target", "/mnt/models/target", "hf://org/draft", "/mnt/models/draft");
    assertThat(mounts(init)).isEqualTo("mnt-models@/mnt/models");
    assertThat(mounts(container(w, "kserve-container")))
        .isEqualTo("mnt-data@/mnt/data/:ro mnt-models@/mnt/models:ro");
    assertThat(volume(w, "mnt-data").getPersistentVolumeClaim().getClaimName()).isEqualTo("data");
    assertThat(volume(w, "mnt-models").getEmptyDir()).isNotNull();
    assertThat(w.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey("internal.serving.kserve.io/storage-initializer-sourceuri");
  }

  @Test
  void aStorageContainerWithoutMultiModelDownloadRejectsStorageUris() {
    String isvc =
        Fixtures.isvc("", "", "storageUris: [{uri: \"s3://b/a\", mountPath: /mnt/models}]")
            .replace("      storageUri: \"\"\n", "");
    String single =
        csc("single", "csc:1", "{prefix: s3://}", "initContainer", false)
            .replace("supportsMultiModelDownload: true", "supportsMultiModelDownload: false");
    assertThat(Fixtures.errors(RUNTIME, isvc, single))
        .containsExactly(
            "spec.predictor.storageUris: storage container \"single\" does not support"
                + " multi-model download; use the default kserve storage initializer or a"
                + " compatible storage container");
  }

  @Test
  void aCustomPredictorsStorageUriEnvBecomesTheModelPath() {
    String isvc =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: c, namespace: demo-space, annotations: {serving.kserve.io/deploymentMode: Standard}}
        spec:
          predictor:
            containers:
              - name: kserve-container
                image: custom:1
                env: [{name: STORAGE_URI, value: "s3://b/m"}]
        """;
    PlannedWorkload w = Fixtures.planned(isvc);
    assertThat(env(container(w, "kserve-container"))).contains("STORAGE_URI=/mnt/models");
    assertThat(initContainer(w, "storage-initializer").getArgs())
        .containsExactly("s3://b/m", "/mnt/models");
    assertThat(w.runtimeName()).isNull();
  }

  @ParameterizedTest
  @MethodSource("io.stowage.serving.Examples#kinds")
  void theExamplesStillPassTheRestrictedProfileAfterWiring(String kind) throws Exception {
    var manifests = Examples.read(Examples.inputs(kind));
    io.stowage.serving.PlanResult result =
        io.stowage.serving.ServingPlanner.plan(
            manifests.inferenceServices().get(0), manifests.snapshot());
    assertThat(result).isInstanceOf(io.stowage.serving.PlanResult.Planned.class);
    PlannedWorkload workload = ((io.stowage.serving.PlanResult.Planned) result).workload();
    assertThat(RestrictedPodSecurity.violations(pod(workload))).isEmpty();
  }
}
