package io.stowage.controller.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.stowage.controller.watch.Watches;
import io.stowage.serving.config.InferenceServiceConfig;
import io.stowage.serving.storage.GlobalCaBundle;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies KServe's global CA bundle into a model namespace whose plan mounts it, as KServe's
 * controller does: the ConfigMap {@code caBundleConfigMapName} of the config namespace, key {@code
 * cabundle.crt}, becomes {@code global-ca-bundle} there. Without the original the pod could never
 * start (its volume's ConfigMap is missing), so that is reported instead of applied.
 */
final class CaBundleCopy {
  private final Watches watches;
  private final String configNamespace;

  CaBundleCopy(Watches watches, String configNamespace) {
    this.watches = watches;
    this.configNamespace = configNamespace;
  }

  /**
   * Makes sure the copy {@code pod} mounts exists in {@code namespace} with the original's
   * certificates.
   *
   * @return empty when the copy is in place or not needed; otherwise the problem, one line
   */
  Optional<String> ensure(
      String namespace, PodSpec pod, InferenceServiceConfig config, KubernetesClient client) {
    String name = config.storageInitializer().caBundleConfigMapName();
    if (name.isEmpty() || !GlobalCaBundle.mountsCopy(pod)) {
      return Optional.empty();
    }
    String original =
        "ConfigMap "
            + configNamespace
            + "/"
            + name
            + " (caBundleConfigMapName of "
            + InferenceServiceConfig.NAME
            + ")";
    Optional<ConfigMap> source = watches.configMaps().get(new ResourceID(name, configNamespace));
    if (source.isEmpty()) {
      return Optional.of(
          original
              + " does not exist, so "
              + GlobalCaBundle.COPY_NAME
              + " cannot be created in "
              + namespace
              + ": create it with the CA certificates under the key "
              + GlobalCaBundle.KEY
              + ", or set caBundleConfigMapName to \"\"");
    }
    String certificates = data(source.get()).get(GlobalCaBundle.KEY);
    if (certificates == null || certificates.isBlank()) {
      return Optional.of(
          original + " has no key " + GlobalCaBundle.KEY + ": put the PEM certificates there");
    }
    ConfigMap live =
        client.configMaps().inNamespace(namespace).withName(GlobalCaBundle.COPY_NAME).get();
    if (live != null && certificates.equals(data(live).get(GlobalCaBundle.KEY))) {
      return Optional.empty();
    }
    ConfigMap copy =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(GlobalCaBundle.COPY_NAME)
            .withNamespace(namespace)
            .endMetadata()
            .addToData(GlobalCaBundle.KEY, certificates)
            .build();
    if (live == null) {
      client.resource(copy).create();
    } else {
      copy.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
      client.resource(copy).update();
    }
    return Optional.empty();
  }

  private static Map<String, String> data(ConfigMap map) {
    return Objects.requireNonNullElse(map.getData(), Map.of());
  }
}
