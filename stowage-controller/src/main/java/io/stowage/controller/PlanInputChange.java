package io.stowage.controller;

import io.stowage.controller.crd.InferenceServiceResource;
import java.util.Objects;

/** Whether an update of an InferenceService changes what the planner reads. */
final class PlanInputChange {
  private PlanInputChange() {}

  static boolean of(InferenceServiceResource newer, InferenceServiceResource older) {
    return !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
        || !Objects.equals(newer.getMetadata().getLabels(), older.getMetadata().getLabels())
        || !Objects.equals(
            newer.getMetadata().getAnnotations(), older.getMetadata().getAnnotations());
  }
}
