package io.stowage.serving.pod;

import static io.stowage.serving.Fixtures.container;
import static io.stowage.serving.Fixtures.env;
import static io.stowage.serving.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.stowage.serving.Fixtures;
import io.stowage.serving.PlannedWorkload;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference §3.4: the runtime's container and pod overlaid with the InferenceService's. */
class PodComposerTest {
  static final String RUNTIME =
      """
      apiVersion: serving.kserve.io/v1alpha1
      kind: ClusterServingRuntime
      metadata: {name: rt}
      spec:
        supportedModelFormats: [{name: transformers}]
        nodeSelector: {pool: runtime}
        tolerations: [{key: gpu, operator: Exists}]
        volumes: [{name: shm, emptyDir: {medium: Memory}}]
        imagePullSecrets: [{name: runtime-pull}]
        containers:
          - name: kserve-container
            image: "runtime:{{.Labels.tier}}"
            command: [serve]
            args: [--model-name, "{{.Name}}", --ns, "{{ .Namespace }}"]
            env:
              - {name: A, value: runtime}
              - {name: B, value: runtime}
              - {name: REPO, value: '{{ index .Annotations "aml-model-repo" }}'}
              - {name: MISSING, value: '{{ .Annotations.nope }}|{{ index .Annotations "nope" }}'}
            resources: {requests: {cpu: "1", memory: 1Gi}, limits: {cpu: "2", memory: 2Gi}}
            ports: [{name: http1, containerPort: 8080}]
          - name: sidecar
            image: sidecar:1
      """;

  static final String ISVC =
      """
      apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      metadata:
        name: m
        namespace: demo-space
        labels: {tier: gold}
        annotations: {serving.kserve.io/deploymentMode: Standard, aml-model-repo: Qwen}
      spec:
        predictor:
          nodeSelector: {zone: a}
          imagePullSecrets: [{name: isvc-pull}]
          volumes: [{name: extra, emptyDir: {}}]
          containers: [{name: logger, image: logger:1}]
          model:
            modelFormat: {name: transformers}
            runtime: rt
            args: [--max-len, "512"]
            env:
              - {name: B, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
              - {name: C, value: isvc}
            resources: {limits: {memory: 8Gi, ephemeral-storage: 10Gi}}
      """;

  @Test
  void theModelContainerIsTheRuntimesOverlaidByTheModel() {
    PlannedWorkload w = Fixtures.planned(RUNTIME, ISVC);
    Container c = container(w, "kserve-container");
    assertThat(c.getImage()).isEqualTo("runtime:gold");
    assertThat(c.getCommand()).containsExactly("serve");
    assertThat(c.getArgs())
        .containsExactly("--model-name", "m", "--ns", "demo-space", "--max-len", "512");
    assertThat(env(c))
        .containsExactly(
            "A=runtime", "B=null", "REPO=Qwen", "MISSING=|", "C=isvc", "INFERENCE_SERVICE_NAME=m");
    assertThat(c.getEnv().get(1).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    assertThat(c.getResources().getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi")));
    assertThat(c.getResources().getLimits())
        .isEqualTo(
            Map.of(
                "cpu", new Quantity("2"),
                "memory", new Quantity("8Gi"),
                "ephemeral-storage", new Quantity("10Gi")));
  }

  @Test
  void containersComeInKservesOrderAndPodFieldsMerge() {
    PlannedWorkload w = Fixtures.planned(RUNTIME, ISVC);
    assertThat(pod(w).getContainers())
        .extracting(Container::getName)
        .containsExactly("kserve-container", "sidecar", "logger");
    assertThat(pod(w).getNodeSelector()).isEqualTo(Map.of("pool", "runtime", "zone", "a"));
    assertThat(pod(w).getTolerations()).hasSize(1);
    assertThat(pod(w).getImagePullSecrets())
        .extracting(r -> r.getName())
        .containsExactly("runtime-pull", "isvc-pull");
    assertThat(pod(w).getVolumes()).extracting(v -> v.getName()).containsExactly("shm", "extra");
    assertThat(env(container(w, "sidecar"))).containsExactly("INFERENCE_SERVICE_NAME=m");
  }

  @Test
  void anUnsupportedTemplateIsReportedWithKservesMessage() {
    String runtime = RUNTIME.replace("\"{{.Name}}\"", "\"{{ printf .Name }}\"");
    assertThat(Fixtures.errors(runtime, ISVC))
        .containsExactly(
            "spec.predictor.model: failed to replace placeholders in serving runtime rt Container"
                + " kserve-container: unsupported template action {{printf .Name}}");
  }

  @Test
  void aRuntimeWithoutKserveContainerIsRejected() {
    String runtime = RUNTIME.replace("- name: kserve-container", "- name: other");
    assertThat(Fixtures.errors(runtime, ISVC))
        .containsExactly(
            "spec.predictor.model.runtime: failed to find kserve-container in ServingRuntime"
                + " containers (runtime rt)");
  }
}
