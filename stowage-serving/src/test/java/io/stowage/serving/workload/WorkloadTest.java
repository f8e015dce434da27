package io.stowage.serving.workload;

import static io.stowage.serving.Fixtures.RUNTIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.stowage.serving.Fixtures;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference §4: names, labels, annotations, replicas and HPA, Service ports, URLs. */
class WorkloadTest {

  @Test
  void objectsAreNamedAndLabelledAsKserveDoes() {
    String isvc =
        Fixtures.isvc(
            "s3://b/m",
            """
            modelFormat: transformers
            autoscaling.knative.dev/min-scale: '2'
            kubectl.kubernetes.io/last-applied-configuration: '{}'
            keep: me
            """,
            "labels: {from: predictor}\nannotations: {predictor: kept}");
    String runtime =
        RUNTIME.replace(
            "  protocolVersions: [v2]",
            "  protocolVersions: [v2]\n  labels: {rt: l}\n  annotations: {rta: a}");
    PlannedWorkload w = Fixtures.planned(runtime, isvc);
    assertThat(w.deployment().getMetadata().getName()).isEqualTo("m-predictor");
    assertThat(w.service().getMetadata().getName()).isEqualTo("m-predictor");
    assertThat(w.hpa().orElseThrow().getMetadata().getName()).isEqualTo("m-predictor");
    Map<String, String> labels = w.deployment().getMetadata().getLabels();
    assertThat(labels)
        .isEqualTo(
            Map.of(
                "rt", "l",
                "from", "predictor",
                "serving.kserve.io/inferenceservice", "m",
                "component", "predictor",
                "app", "isvc.m-predictor"));
    assertThat(w.deployment().getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(labels);
    assertThat(w.deployment().getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app", "isvc.m-predictor"));
    assertThat(w.service().getSpec().getSelector()).isEqualTo(Map.of("app", "isvc.m-predictor"));
    Map<String, String> templateAnnotations =
        new java.util.HashMap<>(
            w.deployment().getSpec().getTemplate().getMetadata().getAnnotations());
    assertThat(templateAnnotations.remove("storage.stowage.io/revision")).matches("[0-9a-f]{16}");
    assertThat(templateAnnotations)
        .isEqualTo(
            Map.of(
                "rta", "a",
                "serving.kserve.io/deploymentMode", "Standard",
                "keep", "me",
                "predictor", "kept",
                "internal.serving.kserve.io/storage-initializer-sourceuri", "s3://b/m"));
  }

  static String revision(PlannedWorkload w) {
    return java.util.Objects.requireNonNull(
        w.deployment()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("storage.stowage.io/revision"));
  }

  @Test
  void thePodRevisionChangesWithTheTemplateOrTheRetryAnnotationOnly() {
    String plain = revision(Fixtures.planned(RUNTIME, Fixtures.isvc("s3://b/m")));
    assertThat(revision(Fixtures.planned(RUNTIME, Fixtures.isvc("s3://b/m")))).isEqualTo(plain);
    assertThat(revision(Fixtures.planned(RUNTIME, Fixtures.isvc("s3://b/other"))))
        .isNotEqualTo(plain);
    String retried =
        revision(
            Fixtures.planned(
                RUNTIME, Fixtures.isvc("s3://b/m", "storage.stowage.io/retry: '1'", "")));
    assertThat(retried).isNotEqualTo(plain);
  }

  @Test
  void aCredentialBearingStorageUriIsAnnotatedRedactedAndPassedWholeToTheInitializer() {
    String uri =
        "https://alice:pa55word@models.example.com/m.bin"
            + "?X-Amz-Signature=s1gn4ture&sig=an0ther#access_token=fr4gment";
    PlannedWorkload w = Fixtures.planned(RUNTIME, Fixtures.isvc(uri));
    List<Map<String, String>> annotations =
        List.of(
            w.deployment().getMetadata().getAnnotations(),
            w.deployment().getSpec().getTemplate().getMetadata().getAnnotations(),
            w.service().getMetadata().getAnnotations(),
            w.hpa().orElseThrow().getMetadata().getAnnotations());
    for (Map<String, String> a : annotations) {
      assertThat(a)
          .containsEntry(
              ComponentMeta.SOURCE_URI_ANNOTATION,
              "https://***@models.example.com/m.bin?X-Amz-Signature=***&sig=***#***");
      assertThat(String.valueOf(a))
          .doesNotContain("pa55word")
          .doesNotContain("s1gn4ture")
          .doesNotContain("an0ther")
          .doesNotContain("fr4gment");
    }
    assertThat(
            w.deployment().getSpec().getTemplate().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("storage-initializer"))
                .findFirst()
                .orElseThrow()
                .getArgs())
        .containsExactly(uri, "/mnt/models");
  }

  @Test
  void theConfiguredDisallowedAnnotationsAreDropped() throws Exception {
    InferenceServiceConfig config =
        InferenceServiceConfig.fromConfigMapData(
            Map.of(
                "inferenceService", "{\"serviceAnnotationDisallowedList\": [\"secret/token\"]}"));
    PlannedWorkload w =
        Fixtures.planned(config, RUNTIME, Fixtures.isvc("s3://b/m", "secret/token: x", ""));
    assertThat(w.deployment().getMetadata().getAnnotations()).doesNotContainKey("secret/token");
  }

  static Stream<Arguments> scaling() {
    return Stream.of(
        // annotation, predictor fields, deployment replicas, hpa min, hpa max
        Arguments.of("", "", null, 1, 1),
        Arguments.of("", "minReplicas: 0\nmaxReplicas: 0", null, 1, 1),
        Arguments.of("", "minReplicas: 2\nmaxReplicas: 5", null, 2, 5),
        Arguments.of("", "minReplicas: 3", null, 3, 3),
        Arguments.of("serving.kserve.io/autoscalerClass: hpa", "minReplicas: 2", null, 2, 2),
        Arguments.of("serving.kserve.io/autoscalerClass: none", "minReplicas: 2", 2, null, null),
        Arguments.of("serving.kserve.io/autoscalerClass: none", "", 1, null, null),
        Arguments.of(
            "serving.kserve.io/autoscalerClass: external", "minReplicas: 2", null, null, null));
  }

  @ParameterizedTest
  @MethodSource("scaling")
  void replicasBelongToTheHpaUnlessTheClassIsNone(
      String annotation, String predictor, Integer replicas, Integer min, Integer max) {
    PlannedWorkload w = Fixtures.planned(RUNTIME, Fixtures.isvc("s3://b/m", annotation, predictor));
    assertThat(w.deployment().getSpec().getReplicas()).isEqualTo(replicas);
    if (min == null) {
      assertThat(w.hpa()).isEmpty();
    } else {
      HorizontalPodAutoscaler hpa = w.hpa().orElseThrow();
      assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(min);
      assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(max);
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("m-predictor");
      assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    }
  }

  static Stream<Arguments> metrics() {
    return Stream.of(
        Arguments.of("", "cpu", 80),
        Arguments.of("scaleTarget: 50", "cpu", 50),
        Arguments.of("scaleMetric: memory", "memory", null),
        Arguments.of("scaleMetric: memory\nscaleTarget: 70", "memory", 70));
  }

  @ParameterizedTest
  @MethodSource("metrics")
  void theHpaScalesOnOneResourceMetric(String predictor, String metric, Integer target) {
    PlannedWorkload w = Fixtures.planned(RUNTIME, Fixtures.isvc("s3://b/m", "", predictor));
    var spec = w.hpa().orElseThrow().getSpec().getMetrics().get(0);
    assertThat(spec.getType()).isEqualTo("Resource");
    assertThat(spec.getResource().getName()).isEqualTo(metric);
    assertThat(spec.getResource().getTarget().getType()).isEqualTo("Utilization");
    assertThat(spec.getResource().getTarget().getAverageUtilization()).isEqualTo(target);
  }

  static Stream<Arguments> ports() {
    return Stream.of(
        Arguments.of(
            "ports: [{name: http1, containerPort: 8080, protocol: TCP}]",
            List.of("http1 80->8080 TCP null")),
        Arguments.of(
            "ports: [{name: grpc-port, containerPort: 9000}, {name: metrics, containerPort: 9090}]",
            List.of("grpc-port 80->9000 TCP kubernetes.io/h2c", "metrics 9090->9090 TCP null")),
        Arguments.of("ports: []", List.of("m-predictor 80->8080 TCP null")));
  }

  @ParameterizedTest
  @MethodSource("ports")
  void theServiceExposesTheFirstContainersPortsOnPort80(String ports, List<String> expected) {
    String runtime =
        RUNTIME.replace("ports: [{name: http1, containerPort: 8080, protocol: TCP}]", ports);
    PlannedWorkload w = Fixtures.planned(runtime, Fixtures.isvc("s3://b/m"));
    List<String> actual =
        w.service().getSpec().getPorts().stream().map(WorkloadTest::describe).toList();
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  static String describe(ServicePort p) {
    return p.getName()
        + " "
        + p.getPort()
        + "->"
        + p.getTargetPort().getIntVal()
        + " "
        + p.getProtocol()
        + " "
        + p.getAppProtocol();
  }

  @Test
  void theModelContainerGetsATcpReadinessProbeOnItsFirstPort() {
    var probe =
        Fixtures.container(Fixtures.planned(RUNTIME, Fixtures.isvc("s3://b/m")), "kserve-container")
            .getReadinessProbe();
    assertThat(probe.getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
    assertThat(probe.getTimeoutSeconds()).isEqualTo(1);
    assertThat(probe.getPeriodSeconds()).isEqualTo(10);
    assertThat(probe.getFailureThreshold()).isEqualTo(3);
  }

  static Stream<Arguments> urls() {
    return Stream.of(
        Arguments.of(
            "",
            "",
            "http://m-demo-space.example.com",
            "http://m-predictor.demo-space.svc.cluster.local"),
        Arguments.of(
            "{\"ingressDomain\": \"ai.corp\", \"domainTemplate\": \"{{ .Name }}.{{ .Namespace }}.{{"
                + " .IngressDomain }}\", \"urlScheme\": \"https\"}",
            "",
            "https://m.demo-space.ai.corp",
            "http://m-predictor.demo-space.svc.cluster.local"),
        Arguments.of(
            "",
            "networking.kserve.io/visibility: cluster-local",
            "http://m-predictor.demo-space.svc.cluster.local",
            "http://m-predictor.demo-space.svc.cluster.local"));
  }

  @ParameterizedTest
  @MethodSource("urls")
  void theUrlFollowsTheIngressConfig(String ingress, String label, String url, String address)
      throws Exception {
    InferenceServiceConfig config =
        ingress.isEmpty()
            ? InferenceServiceConfig.FRESH_INSTALL
            : InferenceServiceConfig.fromConfigMapData(Map.of("ingress", ingress));
    String isvc = Fixtures.isvc("s3://b/m");
    if (!label.isEmpty()) {
      isvc = isvc.replace("  name: m\n", "  name: m\n  labels: {" + label + "}\n");
    }
    PlannedWorkload w = Fixtures.planned(config, RUNTIME, isvc);
    assertThat(w.url()).isEqualTo(url);
    assertThat(w.addressUrl()).isEqualTo(address);
  }

  @Test
  void aLiveInferenceServiceOwnsItsObjects() {
    String isvc = Fixtures.isvc("s3://b/m").replace("  name: m\n", "  name: m\n  uid: 1234-abcd\n");
    PlannedWorkload w = Fixtures.planned(RUNTIME, isvc);
    for (var object : w.objects()) {
      var ref = object.getMetadata().getOwnerReferences().get(0);
      assertThat(ref.getKind()).isEqualTo("InferenceService");
      assertThat(ref.getApiVersion()).isEqualTo("serving.kserve.io/v1beta1");
      assertThat(ref.getUid()).isEqualTo("1234-abcd");
      assertThat(ref.getController()).isTrue();
    }
  }

  @Test
  void aHeadlessServiceAddsTheTargetPortToTheAddress() throws Exception {
    InferenceServiceConfig config =
        InferenceServiceConfig.fromConfigMapData(
            Map.of("service", "{\"serviceClusterIPNone\": true}"));
    PlannedWorkload w = Fixtures.planned(config, RUNTIME, Fixtures.isvc("s3://b/m"));
    assertThat(w.service().getSpec().getClusterIP()).isEqualTo("None");
    assertThat(w.addressUrl()).isEqualTo("http://m-predictor.demo-space.svc.cluster.local:8080");
  }
}
