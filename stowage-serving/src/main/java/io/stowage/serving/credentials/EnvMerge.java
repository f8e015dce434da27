package io.stowage.serving.credentials;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/**
 * KServe's {@code utils.MergeEnvs} for several credential secrets: a later entry replaces an
 * earlier one of the same name, except that the first secret's {@code secretKeyRef} stays (KServe
 * overwrites only {@code .value}; keeping the reference whole avoids an entry with both forms).
 */
public final class EnvMerge {
  private EnvMerge() {}

  public static List<EnvVar> merge(List<EnvVar> first, List<EnvVar> later) {
    List<EnvVar> merged = new ArrayList<>(first);
    for (EnvVar e : later) {
      int at = indexOf(merged, e.getName());
      if (at < 0) {
        merged.add(e);
      } else if (merged.get(at).getValueFrom() == null) {
        merged.set(at, e);
      }
    }
    return merged;
  }

  /** Adds {@code extra} entries whose names are not present yet. */
  public static List<EnvVar> addIfAbsent(List<EnvVar> env, List<EnvVar> extra) {
    List<EnvVar> merged = new ArrayList<>(env);
    for (EnvVar e : extra) {
      if (indexOf(merged, e.getName()) < 0) {
        merged.add(e);
      }
    }
    return merged;
  }

  static int indexOf(List<EnvVar> env, String name) {
    for (int i = 0; i < env.size(); i++) {
      if (name.equals(env.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }
}
