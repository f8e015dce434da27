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
import io.stowage.serving.Fixtures;
import io.stowage.serving.PlannedWorkload;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code storage.stowage.io/} annotations: storage policy per InferenceService. */
class StoragePolicyTest {
  static final String SA =
      """
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: sa, namespace: demo-space}
      secrets: [{name: c}]
      """;
  static final String SECRET =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: c, namespace: demo-space}
      data: {AWS_ACCESS_KEY_ID: eA==, AWS_SECRET_ACCESS_KEY: eA==}
      """;

  static PlannedWorkload planned(String annotations) {
    return Fixtures.planned(RUNTIME, SA, SECRET, isvc("s3://b/m", annotations));
  }

  /** {@link Fixtures#isvc} whose model sets HF_TOKEN (from a Secret) and LOG_LEVEL. */
  static String isvc(String uri, String annotations) {
    return Fixtures.isvc(uri, annotations, "serviceAccountName: sa")
        .replace(
            "      runtime: rt\n",
            """
                  runtime: rt
                  env:
                    - {name: HF_TOKEN, valueFrom: {secretKeyRef: {name: hf, key: token}}}
                    - {name: LOG_LEVEL, value: debug}
            """);
  }

  static Volume volume(PlannedWorkload w, String name) {
    return StorageWiringTest.volume(w, name);
  }

  @Test
  void withoutAnnotationsTheInitializerIsKservesDefault() {
    PlannedWorkload w = planned("");
    Container init = initContainer(w, "storage-initializer");
    assertThat(init.getImage()).isEqualTo("kserve/storage-initializer:latest");
    assertThat(init.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(env(init)).doesNotContain("HF_TOKEN<-hf/token");
    assertThat(volume(w, "kserve-provision-location").getEmptyDir().getSizeLimit()).isNull();
  }

  @Test
  void resourcesAndImageAreSetPerInferenceService() {
    PlannedWorkload w =
        planned(
            """
            storage.stowage.io/initializer-image: registry.example/stowage:1.2
            storage.stowage.io/initializer-cpu-request: "2"
            storage.stowage.io/initializer-cpu-limit: "4"
            storage.stowage.io/initializer-memory-request: 8Gi
            storage.stowage.io/initializer-memory-limit: 16Gi
            """);
    Container init = initContainer(w, "storage-initializer");
    assertThat(init.getImage()).isEqualTo("registry.example/stowage:1.2");
    assertThat(init.getResources().getRequests())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("8Gi"));
    assertThat(init.getResources().getLimits())
        .containsEntry("cpu", new Quantity("4"))
        .containsEntry("memory", new Quantity("16Gi"));
  }

  @Test
  void oneResourceAnnotationLeavesTheOthersAtTheConfigDefault() {
    Container init =
        initContainer(
            planned("storage.stowage.io/initializer-memory-limit: 16Gi"), "storage-initializer");
    assertThat(init.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("16Gi"));
    assertThat(init.getResources().getRequests()).containsEntry("memory", new Quantity("100Mi"));
  }

  @Test
  void modelContainerEnvIsCopiedByNameWithItsSecretReference() {
    Container init =
        initContainer(
            planned("storage.stowage.io/initializer-env-from-model: HF_TOKEN, LOG_LEVEL"),
            "storage-initializer");
    assertThat(env(init)).contains("HF_TOKEN<-hf/token", "LOG_LEVEL=debug");
    assertThat(env(init)).contains("AWS_ACCESS_KEY_ID<-c/AWS_ACCESS_KEY_ID");
  }

  @Test
  void extraEnvIsAddedAndReplacesAnEntryOfTheSameName() {
    Container init =
        initContainer(
            planned(
                "storage.stowage.io/initializer-env: '{\"HF_ENDPOINT\": \"https://hf.example\","
                    + " \"HF_HUB_ENABLE_HF_TRANSFER\": \"0\"}'"),
            "storage-initializer");
    assertThat(env(init)).contains("HF_ENDPOINT=https://hf.example", "HF_HUB_ENABLE_HF_TRANSFER=0");
    assertThat(env(init)).doesNotContain("HF_HUB_ENABLE_HF_TRANSFER=1");
  }

  @Test
  void anEmptyDirTargetGetsItsSizeLimit() {
    PlannedWorkload w =
        planned(
            """
            storage.stowage.io/download-volume: emptyDir
            storage.stowage.io/download-size: 40Gi
            """);
    assertThat(volume(w, "kserve-provision-location").getEmptyDir().getSizeLimit())
        .isEqualTo(new Quantity("40Gi"));
  }

  @Test
  void anEphemeralTargetIsAGenericEphemeralVolumeOfTheClassAndSize() {
    PlannedWorkload w =
        planned(
            """
            storage.stowage.io/download-volume: ephemeral
            storage.stowage.io/download-size: 200Gi
            storage.stowage.io/download-storage-class: fast-ssd
            """);
    Volume v = volume(w, "kserve-provision-location");
    assertThat(v.getEmptyDir()).isNull();
    var spec = v.getEphemeral().getVolumeClaimTemplate().getSpec();
    assertThat(spec.getStorageClassName()).isEqualTo("fast-ssd");
    assertThat(spec.getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(spec.getResources().getRequests()).containsEntry("storage", new Quantity("200Gi"));
    assertThat(StorageWiringTest.mounts(initContainer(w, "storage-initializer")))
        .isEqualTo("kserve-provision-location@/mnt/models");
  }

  @Test
  void anEphemeralTargetWithoutAClassUsesTheClusterDefault() {
    PlannedWorkload w =
        planned(
            """
            storage.stowage.io/download-volume: ephemeral
            storage.stowage.io/download-size: 200Gi
            """);
    var spec = volume(w, "kserve-provision-location").getEphemeral().getVolumeClaimTemplate();
    assertThat(spec.getSpec().getStorageClassName()).isNull();
  }

  @Test
  void aPvcTargetDownloadsIntoTheExistingClaim() {
    PlannedWorkload w =
        planned(
            """
            storage.stowage.io/download-volume: pvc
            storage.stowage.io/download-claim: model-cache
            """);
    Volume v = volume(w, "kserve-provision-location");
    assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("model-cache");
    assertThat(initContainer(w, "storage-initializer").getArgs())
        .containsExactly("s3://b/m", "/mnt/models");
  }

  @Test
  void theTargetAppliesToStorageUrisToo() {
    String isvc =
        Fixtures.isvc(
                "",
                "storage.stowage.io/download-volume: pvc\nstorage.stowage.io/download-claim: cache",
                "storageUris: [{uri: \"s3://b/a\", mountPath: /mnt/models/a}]")
            .replace("      storageUri: \"\"\n", "");
    PlannedWorkload w = Fixtures.planned(RUNTIME, isvc);
    assertThat(volume(w, "mnt-models-a").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("cache");
  }

  @Test
  void initializerOffGivesTheRuntimeTheUriAndTheCredentials() {
    PlannedWorkload w = planned("storage.stowage.io/initializer: disabled");
    assertThat(pod(w).getInitContainers()).isNullOrEmpty();
    assertThat(pod(w).getVolumes() == null ? java.util.List.<Volume>of() : pod(w).getVolumes())
        .extracting(Volume::getName)
        .doesNotContain("kserve-provision-location");
    Container model = container(w, "kserve-container");
    assertThat(env(model))
        .contains(
            "STORAGE_URI=s3://b/m",
            "AWS_ACCESS_KEY_ID<-c/AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY<-c/AWS_SECRET_ACCESS_KEY");
    assertThat(StorageWiringTest.mounts(model)).doesNotContain("kserve-provision-location");
  }

  @Test
  void initializerEnabledIsTheDefault() {
    PlannedWorkload w = planned("storage.stowage.io/initializer: enabled");
    assertThat(initContainer(w, "storage-initializer").getArgs())
        .containsExactly("s3://b/m", "/mnt/models");
  }

  @Test
  void aPvcSourceIgnoresTheDownloadPolicyWithAWarning() {
    var result =
        Fixtures.plan(
            RUNTIME,
            Fixtures.isvc("pvc://model-pvc", "storage.stowage.io/download-size: 10Gi", ""));
    assertThat(result.warnings())
        .anyMatch(w -> w.contains("storage.stowage.io/download-size") && w.contains("pvc://"));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "storage.stowage.io/initializer-memory-limit: lots",
            "metadata.annotations[storage.stowage.io/initializer-memory-limit]: \"lots\" is not a"
                + " Kubernetes quantity (e.g. 16Gi)"),
        Arguments.of(
            "storage.stowage.io/initializer-cpu-request: 2 cores",
            "metadata.annotations[storage.stowage.io/initializer-cpu-request]: \"2 cores\" is not a"
                + " Kubernetes quantity (e.g. 500m)"),
        Arguments.of(
            "storage.stowage.io/initializer-memory-request: 32Gi\n"
                + "storage.stowage.io/initializer-memory-limit: 16Gi",
            "metadata.annotations[storage.stowage.io/initializer-memory-request]: 32Gi is more"
                + " than the limit 16Gi"),
        Arguments.of(
            "storage.stowage.io/initializer-image: \"\"",
            "metadata.annotations[storage.stowage.io/initializer-image]: must be an image"
                + " reference without spaces, e.g. registry.example/stowage:1.0"),
        Arguments.of(
            "storage.stowage.io/initializer-env-from-model: HF TOKEN",
            "metadata.annotations[storage.stowage.io/initializer-env-from-model]: \"HF TOKEN\" is"
                + " not an env var name; give names separated by commas"),
        Arguments.of(
            "storage.stowage.io/initializer-env-from-model: HF_HOME",
            "metadata.annotations[storage.stowage.io/initializer-env-from-model]: HF_HOME is not"
                + " set on the model container kserve-container"),
        Arguments.of(
            "storage.stowage.io/initializer-env: HF_ENDPOINT=x",
            "metadata.annotations[storage.stowage.io/initializer-env]: must be a JSON object of"
                + " names to string values, e.g. {\"HF_ENDPOINT\": \"https://hf.example\"}"),
        Arguments.of(
            "storage.stowage.io/initializer-env: '{\"A\": 1}'",
            "metadata.annotations[storage.stowage.io/initializer-env]: must be a JSON object of"
                + " names to string values, e.g. {\"HF_ENDPOINT\": \"https://hf.example\"}"),
        Arguments.of(
            "storage.stowage.io/download-volume: hostPath",
            "metadata.annotations[storage.stowage.io/download-volume]: \"hostPath\" is not one of"
                + " emptyDir, ephemeral, pvc"),
        Arguments.of(
            "storage.stowage.io/download-volume: ephemeral",
            "metadata.annotations[storage.stowage.io/download-size]: an ephemeral download volume"
                + " needs a size, e.g. 100Gi"),
        Arguments.of(
            "storage.stowage.io/download-volume: pvc",
            "metadata.annotations[storage.stowage.io/download-claim]: a pvc download volume needs"
                + " the name of an existing PersistentVolumeClaim"),
        Arguments.of(
            "storage.stowage.io/download-claim: cache",
            "metadata.annotations[storage.stowage.io/download-claim]: applies only with"
                + " storage.stowage.io/download-volume: pvc"),
        Arguments.of(
            "storage.stowage.io/download-storage-class: fast",
            "metadata.annotations[storage.stowage.io/download-storage-class]: applies only with"
                + " storage.stowage.io/download-volume: ephemeral"),
        Arguments.of(
            "storage.stowage.io/download-volume: pvc\n"
                + "storage.stowage.io/download-claim: Cache_1",
            "metadata.annotations[storage.stowage.io/download-claim]: \"Cache_1\" is not a valid"
                + " object name (lower-case letters, digits, '-' and '.')"),
        Arguments.of(
            """
            storage.stowage.io/download-volume: pvc
            storage.stowage.io/download-claim: c
            storage.stowage.io/download-size: 1Gi\
            """,
            "metadata.annotations[storage.stowage.io/download-size]: applies only with"
                + " storage.stowage.io/download-volume: emptyDir or ephemeral"),
        Arguments.of(
            "storage.stowage.io/download-size: big",
            "metadata.annotations[storage.stowage.io/download-size]: \"big\" is not a Kubernetes"
                + " quantity (e.g. 100Gi)"),
        Arguments.of(
            "storage.stowage.io/initializer: never",
            "metadata.annotations[storage.stowage.io/initializer]: \"never\" is not one of enabled,"
                + " disabled"),
        Arguments.of(
            "storage.stowage.io/initializer: disabled\n"
                + "storage.stowage.io/initializer-memory-limit: 2Gi",
            "metadata.annotations[storage.stowage.io/initializer-memory-limit]: has no effect with"
                + " storage.stowage.io/initializer: disabled"),
        Arguments.of(
            "storage.stowage.io/initializer-memroy-limit: 2Gi",
            "metadata.annotations[storage.stowage.io/initializer-memroy-limit]: unknown Stowage"
                + " annotation; known: initializer, initializer-image, initializer-cpu-request,"
                + " initializer-cpu-limit, initializer-memory-request, initializer-memory-limit,"
                + " initializer-env-from-model, initializer-env, download-volume, download-size,"
                + " download-storage-class, download-claim, retry"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void anInvalidAnnotationIsOneClearLine(String annotations, String message) {
    assertThat(Fixtures.errors(RUNTIME, SA, SECRET, isvc("s3://b/m", annotations)))
        .containsExactly(message);
  }

  @Test
  void initializerOffIsRefusedForStorageUris() {
    String isvc =
        Fixtures.isvc(
                "",
                "storage.stowage.io/initializer: disabled",
                "storageUris: [{uri: \"s3://b/a\", mountPath: /mnt/models/a}]")
            .replace("      storageUri: \"\"\n", "");
    assertThat(Fixtures.errors(RUNTIME, isvc))
        .containsExactly(
            "metadata.annotations[storage.stowage.io/initializer]: disabled supports one"
                + " storageUri, not storageUris");
  }
}
