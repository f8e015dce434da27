package io.stowage.serving;

import io.stowage.serving.api.StorageSpec;
import io.stowage.serving.api.StorageUriSpec;
import io.stowage.serving.storage.ModelUri;
import java.util.List;

/** Where the predictor's model comes from, as the planner wires it. */
sealed interface ModelSource {
  /** No storage: the runtime brings its model itself. */
  record None() implements ModelSource {}

  /** {@code storageUri} (or a custom predictor's {@code STORAGE_URI}). */
  record Single(ModelUri uri) implements ModelSource {}

  /** {@code storage:}, resolved against the storage-config Secret when wired. */
  record FromStorageSpec(StorageSpec storage) implements ModelSource {}

  /** {@code storageUris}. */
  record Multiple(List<StorageUriSpec> entries) implements ModelSource {}
}
