package io.stowage.serving.manifest;

import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanError;
import io.stowage.serving.PlanResult;
import io.stowage.serving.ServingPlanner;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What {@code stowage render} does with the objects it read: plans every InferenceService against
 * the others and joins the results. Output is produced only when every InferenceService could be
 * planned, so that a partial set of objects is never applied.
 */
public final class Renderer {
  private Renderer() {}

  /** The YAML to apply, or the errors (one line each); warnings in both cases. */
  public record Outcome(String yaml, List<String> errors, List<String> warnings) {
    public Outcome {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  private record Rendered(String yaml, List<String> errors, List<String> warnings) {}

  private static Rendered renderOne(InferenceService isvc, ClusterSnapshot snapshot) {
    String who = "InferenceService " + isvc.namespace() + "/" + isvc.name() + ": ";
    PlanResult result = ServingPlanner.plan(isvc, snapshot);
    List<String> warnings = result.warnings().stream().map(w -> who + w).toList();
    if (result instanceof PlanResult.Planned planned) {
      return new Rendered(ManifestWriter.workload(isvc, planned.workload()), List.of(), warnings);
    }
    List<String> errors = new ArrayList<>();
    for (PlanError e : ((PlanResult.Rejected) result).errors()) {
      errors.add(who + e);
    }
    return new Rendered("", errors, warnings);
  }

  public static Outcome render(Manifests manifests) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    manifests
        .skipped()
        .forEach(s -> warnings.add("skipped " + s + ": not an input of the planner"));
    ClusterSnapshot snapshot;
    try {
      snapshot = manifests.snapshot();
    } catch (ConfigException e) {
      e.problems().forEach(p -> errors.add("ConfigMap inferenceservice-config: " + p));
      return new Outcome("", errors, warnings);
    }
    if (manifests.inferenceServices().isEmpty()) {
      errors.add("no InferenceService in the input: nothing to render");
    }
    // Planning and writing are pure per InferenceService: done in parallel, joined in input order.
    List<InferenceService> isvcs = manifests.inferenceServices();
    List<Rendered> results =
        IntStream.range(0, isvcs.size())
            .parallel()
            .mapToObj(i -> renderOne(isvcs.get(i), snapshot))
            .toList();
    StringBuilder yaml = new StringBuilder();
    for (Rendered r : results) {
      warnings.addAll(r.warnings());
      errors.addAll(r.errors());
      yaml.append(r.yaml());
    }
    return new Outcome(errors.isEmpty() ? yaml.toString() : "", errors, warnings);
  }
}
