package io.stowage.serving.validation;

import io.stowage.serving.PlanErrors;
import io.stowage.serving.storage.ModelUri;

/**
 * Storage URI checks: the grammar of the scheme Stowage wires. Whether an unknown scheme is claimed
 * by a ClusterStorageContainer is decided when the URI is wired, which reports KServe's "not
 * supported" message.
 */
final class UriChecks {
  private UriChecks() {}

  static void check(String field, String uri, PlanErrors errors) {
    try {
      ModelUri.parse(uri, true);
    } catch (ModelUri.InvalidUriException e) {
      errors.add(field, String.valueOf(e.getMessage()));
    }
  }
}
