package io.stowage.storage;

/**
 * The class of a failure. Each class has a stable process exit code, documented in the README, so
 * that scripts and operators can react to the kind of problem without parsing messages.
 */
public enum Failure {
  /** A bug or an unexpected condition. */
  INTERNAL(1, "internal error"),
  /** Wrong arguments or an invalid setting. */
  USAGE(2, "usage"),
  /** Credentials missing, rejected or not allowed to read the model. */
  AUTH(3, "authentication"),
  /** The bucket, prefix or object does not exist, or holds no model. */
  NOT_FOUND(4, "not found"),
  /** The endpoint cannot be reached, or stopped answering, and retries did not help. */
  NETWORK(5, "network"),
  /** What arrived does not match what the source says it holds. */
  INTEGRITY(6, "integrity"),
  /** The destination cannot be written: no space, permissions, I/O errors. */
  DISK(7, "disk"),
  /** The source holds entries that cannot be materialized safely inside the destination. */
  UNSAFE_SOURCE(8, "unsafe source");

  private final int exitCode;
  private final String label;

  Failure(int exitCode, String label) {
    this.exitCode = exitCode;
    this.label = label;
  }

  public int exitCode() {
    return exitCode;
  }

  public String label() {
    return label;
  }
}
