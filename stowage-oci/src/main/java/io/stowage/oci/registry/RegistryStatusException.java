package io.stowage.oci.registry;

import java.io.IOException;

/** A registry answered with a status that an operation cannot use; 5xx and 429 are retried. */
final class RegistryStatusException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errors;

  RegistryStatusException(int status, String what, String errors) {
    super(what + ": HTTP " + status + (errors.isEmpty() ? "" : " (" + errors + ")"));
    this.status = status;
    this.errors = errors;
  }

  int status() {
    return status;
  }

  /** The registry's error codes and messages, e.g. {@code MANIFEST_UNKNOWN: manifest unknown}. */
  String errors() {
    return errors;
  }

  boolean retryable() {
    return status >= 500 || status == 429 || status == 408;
  }
}
