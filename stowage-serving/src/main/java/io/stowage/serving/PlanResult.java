package io.stowage.serving;

import java.util.List;

/** What planning one InferenceService gives: the workload, or every reason it cannot be planned. */
public sealed interface PlanResult {
  /** Warnings: things KServe tolerates that a reader should know (a missing ServiceAccount). */
  List<String> warnings();

  /** The InferenceService can be served by these objects. */
  record Planned(PlannedWorkload workload, List<String> warnings) implements PlanResult {
    public Planned {
      warnings = List.copyOf(warnings);
    }
  }

  /** The InferenceService cannot be planned; {@code errors} is never empty. */
  record Rejected(List<PlanError> errors, List<String> warnings) implements PlanResult {
    public Rejected {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }
  }
}
