package io.stowage.controller.watch;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.serving.config.ConfigException;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code inferenceservice-config} ConfigMap as the planner reads it, parsed once per version.
 * Without the ConfigMap, the planner's fresh-install defaults apply.
 */
public final class ConfigView {
  /** The parsed config, or every problem with it. */
  public sealed interface Parsed {
    /** A usable config. */
    record Usable(InferenceServiceConfig config) implements Parsed {}

    /** The ConfigMap exists but cannot be used; nothing is planned until it is fixed. */
    record Invalid(List<String> problems) implements Parsed {
      public Invalid {
        problems = List.copyOf(problems);
      }
    }
  }

  private final InformerEventSource<ConfigMap, InferenceServiceResource> configMaps;
  private final String namespace;
  private @Nullable Cached cached;

  private record Cached(String resourceVersion, Parsed parsed) {}

  ConfigView(
      InformerEventSource<ConfigMap, InferenceServiceResource> configMaps, String namespace) {
    this.configMaps = configMaps;
    this.namespace = namespace;
  }

  public synchronized Parsed current() {
    Optional<ConfigMap> map =
        configMaps.get(new ResourceID(InferenceServiceConfig.NAME, namespace));
    if (map.isEmpty()) {
      return new Parsed.Usable(InferenceServiceConfig.FRESH_INSTALL);
    }
    String version = Objects.requireNonNullElse(map.get().getMetadata().getResourceVersion(), "");
    Cached c = cached;
    if (c != null && c.resourceVersion().equals(version)) {
      return c.parsed();
    }
    Parsed parsed = parse(Objects.requireNonNullElse(map.get().getData(), Map.of()));
    cached = new Cached(version, parsed);
    return parsed;
  }

  /** The usable config, or the fresh-install one while the ConfigMap is invalid. */
  public InferenceServiceConfig configOrDefaults() {
    return current() instanceof Parsed.Usable u ? u.config() : InferenceServiceConfig.FRESH_INSTALL;
  }

  static Parsed parse(Map<String, String> data) {
    try {
      return new Parsed.Usable(InferenceServiceConfig.fromConfigMapData(data));
    } catch (ConfigException e) {
      return new Parsed.Invalid(e.problems());
    }
  }
}
