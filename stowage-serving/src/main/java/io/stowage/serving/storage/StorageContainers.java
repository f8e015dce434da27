package io.stowage.serving.storage;

import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.StorageContainerSpec;
import io.stowage.serving.api.SupportedUriFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * KServe's ClusterStorageContainer lookup: the one the InferenceService names, or else, in name
 * order, skipping disabled ones and those whose workload is not an init container, the first with a
 * format that matches. A prefix is a string prefix; a regex is unanchored, as Go's {@code
 * regexp.MatchString}.
 */
public final class StorageContainers {
  private StorageContainers() {}

  /** The field an InferenceService names its ClusterStorageContainer with (KServe v0.20). */
  public static final String NAME_FIELD = "spec.predictor.storageContainerName";

  /**
   * The ClusterStorageContainer for {@code uri}: the one {@code name} names, or, without a name,
   * the first that matches. A named one that does not exist, is disabled, is not an init container
   * or does not take the URI is an error (KServe's webhook then fails the Pod), never a fallback.
   */
  public static Optional<ClusterStorageContainer> select(
      String uri,
      @Nullable String name,
      List<ClusterStorageContainer> containers,
      PlanErrors errors) {
    if (name == null) {
      return match(uri, containers);
    }
    Optional<ClusterStorageContainer> named =
        containers.stream().filter(c -> name.equals(c.name())).findFirst();
    String problem;
    if (named.isEmpty()) {
      problem = "ClusterStorageContainer \"" + name + "\" not found";
    } else if (named.get().disabledFlag()) {
      problem = "ClusterStorageContainer \"" + name + "\" is disabled";
    } else if (!StorageContainerSpec.INIT_CONTAINER.equals(
        named.get().spec().workloadTypeOrDefault())) {
      problem =
          "ClusterStorageContainer \""
              + name
              + "\" has workloadType \""
              + named.get().spec().workloadTypeOrDefault()
              + "\"; explicit selection requires \""
              + StorageContainerSpec.INIT_CONTAINER
              + "\"";
    } else if (named.get().spec().formatsOrEmpty().stream().noneMatch(f -> matches(f, uri))) {
      problem =
          "ClusterStorageContainer \"" + name + "\" does not support storageUri \"" + uri + "\"";
    } else {
      return named;
    }
    errors.add(NAME_FIELD, problem);
    return Optional.empty();
  }

  public static Optional<ClusterStorageContainer> match(
      String uri, List<ClusterStorageContainer> containers) {
    for (ClusterStorageContainer c : containers) {
      if (c.disabledFlag()
          || !StorageContainerSpec.INIT_CONTAINER.equals(c.spec().workloadTypeOrDefault())) {
        continue;
      }
      for (SupportedUriFormat f : c.spec().formatsOrEmpty()) {
        if (matches(f, uri)) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean matches(SupportedUriFormat format, String uri) {
    String prefix = format.prefix();
    if (prefix != null && !prefix.isEmpty()) {
      return uri.startsWith(prefix);
    }
    String regex = format.regex();
    if (regex == null || regex.isEmpty()) {
      return false;
    }
    try {
      return Pattern.compile(regex).matcher(uri).find();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}
