package io.stowage.serving.storage;

import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.StorageContainerSpec;
import io.stowage.serving.api.SupportedUriFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * KServe's ClusterStorageContainer lookup: in name order, skipping disabled ones and those whose
 * workload is not an init container, the first with a format that matches. A prefix is a string
 * prefix; a regex is unanchored, as Go's {@code regexp.MatchString}.
 */
public final class StorageContainers {
  private StorageContainers() {}

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
