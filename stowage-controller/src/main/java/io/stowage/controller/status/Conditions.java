package io.stowage.controller.status;

import io.stowage.common.UriRedaction;
import io.stowage.controller.crd.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The condition types Stowage writes, and how a new set replaces the previous one. */
public final class Conditions {
  public static final String PREDICTOR_READY = "PredictorReady";
  public static final String READY = "Ready";

  /** Set, False, on InferenceServices of a mode Stowage does not reconcile. */
  public static final String STOWAGE_MANAGED = "StowageManaged";

  private static final Set<String> OWNED = Set.of(PREDICTOR_READY, READY, STOWAGE_MANAGED);

  private Conditions() {}

  public static Condition of(String type, String status, String reason, String message) {
    // A message may quote a storage URI (a planner error, a termination message): one rule hides
    // what of it is secret, whoever built the message.
    return new Condition(type, status, null, null, reason, UriRedaction.redactUrisIn(message));
  }

  /**
   * {@code current} replaces the conditions Stowage owns in {@code previous}; others (written by
   * someone else) stay. A condition keeps its {@code lastTransitionTime} while its status stays.
   */
  public static List<Condition> merge(
      List<Condition> previous, List<Condition> current, String now) {
    List<Condition> merged = new ArrayList<>();
    for (Condition c : current) {
      String since =
          previous.stream()
              .filter(p -> p.type().equals(c.type()) && p.status().equals(c.status()))
              .map(Condition::lastTransitionTime)
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(now);
      merged.add(new Condition(c.type(), c.status(), c.severity(), since, c.reason(), c.message()));
    }
    for (Condition p : previous) {
      boolean replaced = current.stream().anyMatch(c -> c.type().equals(p.type()));
      if (!replaced && !OWNED.contains(p.type())) {
        merged.add(p);
      }
    }
    return merged;
  }

  /** The same conditions, ignoring transition times. */
  public static boolean same(List<Condition> a, List<Condition> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameAs(b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
