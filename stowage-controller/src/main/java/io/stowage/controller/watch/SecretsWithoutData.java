package io.stowage.controller.watch;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.jspecify.annotations.Nullable;

/**
 * The Secret informer's store: the metadata and type of every Secret in the watched namespaces,
 * none of their data. The informer must see every Secret to notice a change of one the plan reads
 * (a rotation re-plans), but keeping all their values in the heap would make the controller a copy
 * of every credential in every model namespace. The few Secrets a plan reads are fetched by name
 * ({@link ReferencedSecrets}).
 */
final class SecretsWithoutData extends BasicItemStore<Secret> {
  SecretsWithoutData() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public @Nullable Secret put(String key, Secret secret) {
    return super.put(key, withoutData(secret));
  }

  static Secret withoutData(Secret secret) {
    return new SecretBuilder()
        .withMetadata(secret.getMetadata())
        .withType(secret.getType())
        .withImmutable(secret.getImmutable())
        .build();
  }
}
