package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a pod that passed the {@code restricted} profile passing after Stowage added a container:
 * fills in what the profile needs and the container left unset; never overrides an explicit choice
 * (a ClusterStorageContainer that asks for privileges keeps them, with a warning).
 */
final class Hardening {
  private Hardening() {}

  static void harden(PodSpec pod, String containerName, @Nullable Long uid, WiringContext ctx) {
    for (Container c : PodEdits.initContainers(pod)) {
      if (containerName.equals(c.getName())) {
        fill(c, uid, pod);
      }
    }
    List<String> left =
        RestrictedPodSecurity.violations(pod).stream()
            .filter(v -> v.startsWith(containerName + ":"))
            .toList();
    if (!left.isEmpty()) {
      ctx.errors()
          .warn(
              "the pod no longer passes the restricted Pod Security Standard because of "
                  + String.join("; ", left));
    }
  }

  private static void fill(Container c, @Nullable Long uid, PodSpec pod) {
    SecurityContext wanted = RestrictedPodSecurity.hardened(uid, pod);
    SecurityContext s = c.getSecurityContext();
    if (s == null) {
      c.setSecurityContext(wanted);
      return;
    }
    if (s.getAllowPrivilegeEscalation() == null) {
      s.setAllowPrivilegeEscalation(false);
    }
    Capabilities caps = Objects.requireNonNullElseGet(s.getCapabilities(), Capabilities::new);
    List<String> drop = new ArrayList<>(Objects.requireNonNullElse(caps.getDrop(), List.of()));
    if (!drop.contains("ALL")) {
      drop.add("ALL");
    }
    caps.setDrop(drop);
    s.setCapabilities(caps);
    if (s.getRunAsNonRoot() == null && !Long.valueOf(0).equals(s.getRunAsUser())) {
      s.setRunAsNonRoot(wanted.getRunAsNonRoot());
    }
    if (s.getSeccompProfile() == null) {
      s.setSeccompProfile(wanted.getSeccompProfile());
    }
  }
}
