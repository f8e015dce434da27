package io.stowage.controller.reconcile;

/** One write the controller made to a predictor object, reported as an event. */
public record Change(Verb verb, String kind, String name) {
  /** What was done, and why. */
  public enum Verb {
    /** The object did not exist. */
    CREATED("Created"),
    /** The plan changed. */
    UPDATED("Updated"),
    /** The plan did not change, but the object no longer matched it: a hand edit taken back. */
    REVERTED("Reverted"),
    /** The plan no longer contains the object. */
    DELETED("Deleted");

    private final String reason;

    Verb(String reason) {
      this.reason = reason;
    }

    /** The event reason. */
    public String reason() {
      return reason;
    }
  }

  public String message() {
    return switch (verb) {
      case CREATED -> "Created " + kind + " " + name;
      case UPDATED -> "Updated " + kind + " " + name + " to the new plan";
      case REVERTED -> "Reverted changes to " + kind + " " + name + " made outside the controller";
      case DELETED -> "Deleted " + kind + " " + name + ": the plan no longer contains it";
    };
  }
}
