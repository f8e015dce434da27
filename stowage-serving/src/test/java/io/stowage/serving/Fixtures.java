package io.stowage.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.config.InferenceServiceConfig;
import io.stowage.serving.manifest.ManifestReader;
import io.stowage.serving.manifest.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Small manifests for table-driven tests, written as YAML so that they read like the real thing.
 */
public final class Fixtures {
  public static final String NS = "demo-space";

  /** A minimal autoselectable runtime for {@code transformers}. */
  public static final String RUNTIME =
      """
      apiVersion: serving.kserve.io/v1alpha1
      kind: ClusterServingRuntime
      metadata: {name: rt}
      spec:
        supportedModelFormats: [{name: transformers, version: "1", autoSelect: true}]
        protocolVersions: [v2]
        containers:
          - name: kserve-container
            image: runtime:1
            args: [--port, "8080"]
            ports: [{name: http1, containerPort: 8080, protocol: TCP}]
      """;

  private Fixtures() {}

  /**
   * An InferenceService named {@code m} in {@link #NS} on runtime {@code rt} with the given {@code
   * storageUri}; {@code extra} is indented YAML added under {@code spec.predictor}.
   */
  public static String isvc(String storageUri, String annotations, String predictorExtra) {
    return """
    apiVersion: serving.kserve.io/v1beta1
    kind: InferenceService
    metadata:
      name: m
      namespace: demo-space
      annotations:
        serving.kserve.io/deploymentMode: Standard
    %s
    spec:
      predictor:
    %s
        model:
          modelFormat: {name: transformers}
          runtime: rt
          storageUri: "%s"
    """
        .formatted(indent(annotations, 4), indent(predictorExtra, 4), storageUri);
  }

  public static String isvc(String storageUri) {
    return isvc(storageUri, "", "");
  }

  public static Manifests read(String... documents) {
    try {
      return new ManifestReader("default").read("test", String.join("\n---\n", documents));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Plans the first InferenceService of {@code documents} against the rest. */
  public static PlanResult plan(String... documents) {
    return plan(null, documents);
  }

  public static PlanResult plan(@Nullable InferenceServiceConfig config, String... documents) {
    Manifests m = read(documents);
    try {
      ClusterSnapshot.Builder b = ClusterSnapshot.builder();
      m.secrets().forEach(b::secret);
      m.serviceAccounts().forEach(b::serviceAccount);
      m.runtimes().forEach(b::runtime);
      m.storageContainers().forEach(b::storageContainer);
      b.config(
          config != null
              ? config
              : m.config().isPresent()
                  ? m.snapshot().config()
                  : InferenceServiceConfig.FRESH_INSTALL);
      InferenceService isvc = m.inferenceServices().get(0);
      return ServingPlanner.plan(isvc, b.build());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static PlannedWorkload planned(String... documents) {
    PlanResult r = plan(documents);
    assertThat(r).as("plan result").isInstanceOf(PlanResult.Planned.class);
    return ((PlanResult.Planned) r).workload();
  }

  public static PlannedWorkload planned(InferenceServiceConfig config, String... documents) {
    PlanResult r = plan(config, documents);
    assertThat(r).as("plan result").isInstanceOf(PlanResult.Planned.class);
    return ((PlanResult.Planned) r).workload();
  }

  /** The error lines of a rejected plan. */
  public static List<String> errors(String... documents) {
    PlanResult r = plan(documents);
    assertThat(r).as("plan result").isInstanceOf(PlanResult.Rejected.class);
    List<String> lines = new ArrayList<>();
    ((PlanResult.Rejected) r).errors().forEach(e -> lines.add(e.toString()));
    return lines;
  }

  public static PodSpec pod(PlannedWorkload w) {
    return w.deployment().getSpec().getTemplate().getSpec();
  }

  public static Container container(PlannedWorkload w, String name) {
    return pod(w).getContainers().stream()
        .filter(c -> name.equals(c.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  public static Container initContainer(PlannedWorkload w, String name) {
    return Objects.requireNonNullElse(pod(w).getInitContainers(), List.<Container>of()).stream()
        .filter(c -> name.equals(c.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no init container " + name));
  }

  /** Env as {@code NAME=value} or {@code NAME<-secret/key}, in order: compact enough for tables. */
  public static List<String> env(Container c) {
    List<String> out = new ArrayList<>();
    for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        out.add(
            e.getName()
                + "<-"
                + e.getValueFrom().getSecretKeyRef().getName()
                + "/"
                + e.getValueFrom().getSecretKeyRef().getKey());
      } else {
        out.add(e.getName() + "=" + e.getValue());
      }
    }
    return out;
  }

  public static Map<String, String> configData(String key, String json) {
    return Map.of(key, json);
  }

  static String indent(String text, int spaces) {
    if (text.isBlank()) {
      return "";
    }
    String pad = " ".repeat(spaces);
    StringBuilder out = new StringBuilder();
    for (String line : text.strip().split("\n", -1)) {
      out.append(pad).append(line).append('\n');
    }
    return out.toString();
  }
}
