package io.stowage.serving.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.serving.Fixtures;
import io.stowage.serving.PlannedWorkload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference §3.2 and §3.3: explicit runtimes, their checks, and auto-selection. */
class RuntimeResolverTest {

  /** A runtime; {@code formats} is a YAML flow list, {@code extra} one more spec line. */
  static String runtime(String kind, String name, String formats, String extra) {
    return """
    apiVersion: serving.kserve.io/v1alpha1
    kind: %s
    metadata: {name: %s, namespace: demo-space}
    spec:
      supportedModelFormats: %s
      containers: [{name: kserve-container, image: %s}]
      %s
    """
        .formatted(kind, name, formats, name, extra);
  }

  static String model(String runtime, String format, String protocol) {
    return """
    apiVersion: serving.kserve.io/v1beta1
    kind: InferenceService
    metadata: {name: m, namespace: demo-space, annotations: {serving.kserve.io/deploymentMode: Standard}}
    spec:
      predictor:
        model:
          modelFormat: %s
          %s
          %s
    """
        .formatted(
            format,
            runtime.isEmpty() ? "" : "runtime: " + runtime,
            protocol.isEmpty() ? "" : "protocolVersion: " + protocol);
  }

  static String image(PlannedWorkload w) {
    return Fixtures.container(w, "kserve-container").getImage();
  }

  @Test
  void aNamespacedRuntimeShadowsAClusterRuntimeOfTheSameName() {
    PlannedWorkload w =
        Fixtures.planned(
            model("x", "{name: sklearn}", ""),
            runtime("ClusterServingRuntime", "x", "[{name: sklearn}]", ""),
            runtime("ServingRuntime", "x", "[{name: sklearn}]", "")
                .replace("image: x", "image: namespaced"));
    assertThat(image(w)).isEqualTo("namespaced");
    assertThat(w.runtimeKind()).isEqualTo("ServingRuntime");
  }

  @Test
  void aNamespacedRuntimeOfAnotherNamespaceIsNotFound() {
    assertThat(
            Fixtures.errors(
                model("x", "{name: sklearn}", ""),
                runtime("ServingRuntime", "x", "[{name: sklearn}]", "")
                    .replace("namespace: demo-space", "namespace: other")))
        .containsExactly(
            "spec.predictor.model.runtime: No ServingRuntimes or ClusterServingRuntimes with the"
                + " name: x");
  }

  static Stream<Arguments> explicitChecks() {
    return Stream.of(
        Arguments.of(
            "[{name: sklearn}]",
            "disabled: true",
            "{name: sklearn}",
            "",
            List.of("spec.predictor.model.runtime: specified runtime x is disabled")),
        Arguments.of(
            "[{name: sklearn}]",
            "protocolVersions: [v1]",
            "{name: sklearn}",
            "v2",
            List.of(
                "spec.predictor.model.protocolVersion: specified runtime x does not support"
                    + " specified protocol version")),
        Arguments.of(
            "[{name: sklearn}]",
            "",
            "{name: xgboost}",
            "",
            List.of(
                "spec.predictor.model.modelFormat: specified runtime x does not support specified"
                    + " framework/version")),
        Arguments.of(
            "[{name: sklearn, version: \"1\"}]",
            "",
            "{name: sklearn, version: \"2\"}",
            "",
            List.of(
                "spec.predictor.model.modelFormat: specified runtime x does not support specified"
                    + " framework/version")));
  }

  @ParameterizedTest
  @MethodSource("explicitChecks")
  void anExplicitRuntimeIsChecked(
      String formats, String extra, String format, String protocol, List<String> errors) {
    assertThat(
            Fixtures.errors(
                model("x", format, protocol),
                runtime("ClusterServingRuntime", "x", formats, extra)))
        .containsExactlyElementsOf(errors);
  }

  static Stream<Arguments> explicitMatches() {
    return Stream.of(
        // No version asked: any version matches; autoSelect does not matter for explicit runtimes.
        Arguments.of("[{name: sklearn, version: \"1\"}]", "{name: sklearn}", ""),
        Arguments.of("[{name: sklearn, version: \"1\"}]", "{name: sklearn, version: \"1\"}", ""),
        // A runtime without protocolVersions accepts any protocol.
        Arguments.of("[{name: sklearn}]", "{name: sklearn}", "grpc-v2"));
  }

  @ParameterizedTest
  @MethodSource("explicitMatches")
  void anExplicitRuntimeMatches(String formats, String format, String protocol) {
    PlannedWorkload w =
        Fixtures.planned(
            model("x", format, protocol), runtime("ClusterServingRuntime", "x", formats, ""));
    assertThat(w.runtimeName()).isEqualTo("x");
  }

  static Stream<Arguments> autoSelection() {
    String sk = "ClusterServingRuntime";
    String ns = "ServingRuntime";
    return Stream.of(
        Arguments.of(
            "only autoSelect formats are candidates",
            List.of(
                runtime(sk, "a", "[{name: sklearn}]", ""),
                runtime(sk, "b", "[{name: sklearn, autoSelect: true}]", "")),
            "",
            "b"),
        Arguments.of(
            "namespaced runtimes come before cluster runtimes",
            List.of(
                runtime(sk, "a", "[{name: sklearn, autoSelect: true, priority: 9}]", ""),
                runtime(ns, "z", "[{name: sklearn, autoSelect: true}]", "")),
            "",
            "z"),
        Arguments.of(
            "higher priority wins; a priority beats none",
            List.of(
                runtime(sk, "a", "[{name: sklearn, autoSelect: true}]", ""),
                runtime(sk, "b", "[{name: sklearn, autoSelect: true, priority: 1}]", ""),
                runtime(sk, "c", "[{name: sklearn, autoSelect: true, priority: 2}]", "")),
            "",
            "c"),
        Arguments.of(
            "disabled and multi-model runtimes are skipped",
            List.of(
                runtime(sk, "a", "[{name: sklearn, autoSelect: true}]", "disabled: true"),
                runtime(sk, "b", "[{name: sklearn, autoSelect: true}]", "multiModel: true"),
                runtime(sk, "c", "[{name: sklearn, autoSelect: true}]", "")),
            "",
            "c"),
        Arguments.of(
            "the protocol defaults to v1 when selecting",
            List.of(
                runtime(sk, "a", "[{name: sklearn, autoSelect: true}]", "protocolVersions: [v2]"),
                runtime(sk, "b", "[{name: sklearn, autoSelect: true}]", "protocolVersions: [v1]")),
            "",
            "b"),
        Arguments.of(
            "v2 runtimes rank before v1 ones, then by name",
            List.of(
                runtime(
                    sk, "b", "[{name: sklearn, autoSelect: true}]", "protocolVersions: [v1, v2]"),
                runtime(sk, "a", "[{name: sklearn, autoSelect: true}]", "protocolVersions: [v1]"),
                runtime(
                    sk, "c", "[{name: sklearn, autoSelect: true}]", "protocolVersions: [v1, v2]")),
            "",
            "b"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("autoSelection")
  void autoSelectionPicksKservesCandidate(
      String description, List<String> runtimes, String protocol, String expected) {
    String[] docs =
        Stream.concat(Stream.of(model("", "{name: sklearn}", protocol)), runtimes.stream())
            .toArray(String[]::new);
    assertThat(Fixtures.planned(docs).runtimeName()).isEqualTo(expected);
  }

  @Test
  void noCandidateGivesKservesMessage() {
    assertThat(
            Fixtures.errors(
                model("", "{name: transformers}", "v2"),
                runtime(
                    "ClusterServingRuntime", "aml", "[{name: transformers, version: \"1\"}]", "")))
        .containsExactly(
            "spec.predictor.model.modelFormat: no runtime found to support predictor with model"
                + " type: {transformers <nil>}");
  }
}
