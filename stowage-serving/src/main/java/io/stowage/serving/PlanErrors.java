package io.stowage.serving;

import java.util.ArrayList;
import java.util.List;

/** Collects every error and warning of one planning run, so that all are reported together. */
public final class PlanErrors {
  private final List<PlanError> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  public void add(String field, String message) {
    errors.add(new PlanError(field, message));
  }

  public void warn(String warning) {
    warnings.add(warning);
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public int count() {
    return errors.size();
  }

  public List<PlanError> errors() {
    return List.copyOf(errors);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }
}
