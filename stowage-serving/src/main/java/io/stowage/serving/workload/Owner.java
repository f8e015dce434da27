package io.stowage.serving.workload;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.stowage.serving.api.InferenceService;
import java.util.List;

/**
 * The controller owner reference to the InferenceService. The API server requires its {@code uid},
 * which only a live object has: manifests read from files get none, and the objects are then
 * planned without one.
 */
final class Owner {
  private Owner() {}

  static List<OwnerReference> of(InferenceService isvc) {
    String uid = isvc.metadata().getUid();
    if (uid == null || uid.isEmpty()) {
      return List.of();
    }
    return List.of(
        new OwnerReferenceBuilder()
            .withApiVersion(InferenceService.API_VERSION)
            .withKind(InferenceService.KIND)
            .withName(isvc.name())
            .withUid(uid)
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build());
  }
}
